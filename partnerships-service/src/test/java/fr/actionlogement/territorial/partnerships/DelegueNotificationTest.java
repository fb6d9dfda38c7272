package fr.actionlogement.territorial.partnerships;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class DelegueNotificationTest extends PartnershipsTestSupport {

    private List<String> inbox(String token, String query) {
        return given().auth().oauth2(token).when().get(BASE + "/notifications" + query).then().statusCode(200).extract()
                .path("items.agreementId");
    }

    @Test
    @DisplayName("R-23 every submitted draft reaches the délégué of the authority's region, unread, and only them")
    void submittedDraftNotifiesDelegue() {
        World w = world();
        World other = world();
        String id = create(w, true, null).path("id");
        String delegue = w.delegueToken();
        assertThat(inbox(delegue, "")).doesNotContain(id); // drafts stay private until submitted
        submit(w.cilToken(), id);
        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(delegue, "?unread=true").contains(id));
        assertThat(inbox(other.delegueToken(), "")).doesNotContain(id);
        given().auth().oauth2(delegue).when().get(BASE + "/notifications?unread=true")
                .then().body("items[0].read", is(false)).body("items[0].cilId", is(w.cil()))
                .body("items[0].regionCode", is(w.region()));
        // The délégué can then read the submitted draft itself.
        given().auth().oauth2(delegue).when().get(BASE + "/agreements/" + id).then().statusCode(200);
    }

    @Test
    @DisplayName("R-23 the délégué marks a notification read (If-Match), the unread filter follows, others cannot touch it")
    void markRead() {
        World w = world();
        String id = create(w, false, null).path("id");
        submit(w.cilToken(), id);
        String delegue = w.delegueToken();
        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(delegue, "").contains(id));
        String notification = given().auth().oauth2(delegue).when().get(BASE + "/notifications").then().extract()
                .path("items[0].id");
        given().auth().oauth2(delegue).when().post(BASE + "/notifications/" + notification + "/read")
                .then().statusCode(428);
        given().auth().oauth2(w.cilToken()).header("If-Match", "\"0\"")
                .when().post(BASE + "/notifications/" + notification + "/read").then().statusCode(403);
        given().auth().oauth2(world().delegueToken()).header("If-Match", "\"0\"")
                .when().post(BASE + "/notifications/" + notification + "/read").then().statusCode(404);
        given().auth().oauth2(delegue).header("If-Match", "\"0\"")
                .when().post(BASE + "/notifications/" + notification + "/read")
                .then().statusCode(200).body("read", is(true)).header("ETag", "\"1\"");
        assertThat(inbox(delegue, "?unread=true")).isEmpty();
        assertThat(inbox(delegue, "?unread=false")).containsExactly(id);
    }

    @Test
    @DisplayName("R-23 a region without a known délégué keeps the notification for whichever délégué covers it")
    void regionWithoutDelegue() {
        World w = world();
        String region = String.valueOf(9000 + (int) (Math.random() * 999));
        String commune = insee();
        registerTerritory("COMMUNE", commune, "Bourg", region, false);
        awaitRow("SELECT count(*) FROM territory_ref WHERE territory_id = 'COMMUNE:" + commune + "'");
        String id = given().auth().oauth2(w.cilToken()).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"collectiviteId\":\"" + commune + "\",\"object\":\"x\",\"durationMonths\":12}")
                .when().post(BASE + "/agreements").then().statusCode(201).extract().path("id");
        submit(w.cilToken(), id);
        String anyDelegue = TestTokens.delegue(region);
        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(anyDelegue, "").contains(id));
    }
}
