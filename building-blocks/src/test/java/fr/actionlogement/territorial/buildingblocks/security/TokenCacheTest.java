package fr.actionlogement.territorial.buildingblocks.security;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The verified-token cache on (the default). */
@QuarkusTest
@WithTestResource(value = TokenCacheBehaviour.Realm.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class TokenCacheTest extends TokenCacheBehaviour {

    @Override
    boolean cacheOn() {
        return true;
    }
}
