package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Optimistic concurrency, Idempotency-Key and bad input. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class ConcurrencyAndInputTest extends ConventionsTestBase {

    @Test
    @DisplayName("two concurrent updates with the same ETag: one succeeds, the other gets 412, nothing half-written")
    void concurrentUpdates() throws Exception {
        World w = world();
        String id = negotiated(w, validContent(w));
        String tag = etag(id);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> results = new ArrayList<>();
        for (String title : List.of("Titre A", "Titre B")) {
            Map<String, Object> content = validContent(w);
            content.put("title", title);
            Callable<Integer> call = () -> {
                start.await();
                return as(uesl).header("If-Match", tag).body(content).put(BASE + "/" + id + "/content").statusCode();
            };
            results.add(pool.submit(call));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        String title = as(uesl).get(BASE + "/" + id).then().extract().path("content.title");
        assertThat(title).isIn("Titre A", "Titre B");
        assertThat(count("SELECT count(*) FROM audit_entry WHERE aggregate_id = '" + id + "' AND action = 'REVISED'"))
                .isEqualTo(2); // the one of negotiated(), and the winner's
        // Missing If-Match is 428; a stale one 412.
        as(uesl).body(validContent(w)).put(BASE + "/" + id + "/content").then().statusCode(428)
                .contentType("application/problem+json");
        as(uesl).header("If-Match", tag).body(Map.of()).post(BASE + "/" + id + "/submission").then().statusCode(412);
    }

    @Test
    @DisplayName("a change that repeats the current state is still a new revision: the ETag moves by one, the old one is stale")
    void repeatedStateIsANewRevision() {
        String id = createCampaign(10);
        io.restassured.response.Response read = as(uesl).get(BASE + "/campaigns/" + id);
        String tag = read.then().statusCode(200).extract().header("ETag");
        Map<String, Object> same = new java.util.HashMap<>();
        same.put("name", read.path("name"));
        same.put("cap", read.path("cap"));
        same.put("evaluationYear", read.path("evaluationYear"));
        same.put("open", read.path("open"));
        String next = as(uesl).header("If-Match", tag).body(same).put(BASE + "/campaigns/" + id).then()
                .statusCode(200).extract().header("ETag");
        assertThat(revision(next)).isEqualTo(revision(tag) + 1);
        assertThat(as(uesl).get(BASE + "/campaigns/" + id).then().extract().header("ETag")).isEqualTo(next);
        as(uesl).header("If-Match", tag).body(same).put(BASE + "/campaigns/" + id).then().statusCode(412);
    }

    private static long revision(String etag) {
        return Long.parseLong(etag.replaceAll("[^0-9]", ""));
    }

    @Test
    @DisplayName("Idempotency-Key: a retried proposal returns the first response and creates one convention")
    void idempotentProposal() {
        World w = world();
        Map<String, Object> body = Map.of("campaignId", w.campaignId(), "territoryId", w.territoryId(), "kind",
                "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 1);
        String key = "k-" + digits(10);
        String first = as(w.delegueToken()).header("Idempotency-Key", key).body(body).post(BASE).then().statusCode(201)
                .extract().path("conventionId");
        as(w.delegueToken()).header("Idempotency-Key", key).body(body).post(BASE).then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("conventionId", is(first));
        assertThat(count("SELECT count(*) FROM convention WHERE territory_id = '" + w.territoryId() + "'")).isEqualTo(1);
    }

    @Test
    @DisplayName("bad input gets a problem naming the field, never a 500")
    void badInput() {
        World w = world();
        String id = negotiated(w, validContent(w));
        as(w.delegueToken()).body("{\"campaignId\": ").post(BASE).then().statusCode(400)
                .contentType("application/problem+json");
        as(w.delegueToken()).body(Map.of("campaignId", w.campaignId(), "territoryId", "nonsense", "kind",
                "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 1)).post(BASE).then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.containsString("territoryId"));
        as(w.delegueToken()).body(Map.of("campaignId", w.campaignId(), "territoryId", w.territoryId(), "kind",
                "OTHER", "templateId", w.templateId(), "templateVersion", 1)).post(BASE).then().statusCode(400);
        Map<String, Object> content = validContent(w);
        list(content, "signatories").get(0).put("partyType", "PREFET");
        as(uesl).header("If-Match", etag(id)).body(content).put(BASE + "/" + id + "/content").then().statusCode(400);
        Map<String, Object> noPeriod = validContent(w);
        noPeriod.put("periodEndYear", 2000);
        as(uesl).header("If-Match", etag(id)).body(noPeriod).put(BASE + "/" + id + "/content").then().statusCode(400)
                .body("errors[0].field", is("periodEndYear"));
        Map<String, Object> badCommitment = validContent(w);
        list(badCommitment, "commitments").add(Map.of("cilId", w.cilPresent(), "product", "PASS_FONCIER"));
        as(uesl).header("If-Match", etag(id)).body(badCommitment).put(BASE + "/" + id + "/content").then()
                .statusCode(400).body("errors[0].field", is("commitments[0]"));
        as(uesl).get(BASE + "/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        as(uesl).get(BASE + "/00000000-0000-0000-0000-000000000000").then().statusCode(404);
        as(w.delegueToken()).contentType(ContentType.XML).body("<x/>").post(BASE).then().statusCode(415);
        as(uesl).header("If-Match", etag(id)).body("").put(BASE + "/" + id + "/content").then().statusCode(400);
        as(uesl).get(BASE + "/" + id).then().body("content.title", is("Charte territoriale " + w.territoryId()));
    }
}
