package fr.actionlogement.territorial.buildingblocks.security;

import java.util.Map;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The verified-token cache off: the same answers as with it on. */
@QuarkusTest
@TestProfile(TokenCacheOffTest.CacheOff.class)
@WithTestResource(value = TokenCacheBehaviour.Realm.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class TokenCacheOffTest extends TokenCacheBehaviour {

    public static class CacheOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("territorial.token-cache.enabled", "false");
        }
    }

    @Override
    boolean cacheOn() {
        return false;
    }
}
