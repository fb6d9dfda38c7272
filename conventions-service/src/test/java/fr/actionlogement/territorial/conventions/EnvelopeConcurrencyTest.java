package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** R-10 under concurrency: commitments of different conventions on one envelope are decided one after the other. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class EnvelopeConcurrencyTest extends ConventionsTestBase {

    private static final int ROUNDS = 20;
    private static final long ENVELOPE = 100;
    /** Three conventions commit at once; any two of 60, 50 and 40 but 60+50 fit, never the three. */
    private static final long[] AMOUNTS = { 60, 50, 40 };

    @Test
    @DisplayName("R-10 concurrent commitments of different conventions never exceed the envelope (20 rounds, stored rows)")
    void concurrentCommitmentsNeverOverspend() throws Exception {
        World w = world();
        List<String> conventions = new ArrayList<>();
        for (int i = 0; i < AMOUNTS.length; i++) {
            conventions.add(inNegotiation(w, createCampaign(10)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(AMOUNTS.length);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                int year = 2040 + round;
                as(uesl).body(Map.of("cilId", w.cilPresent(), "product", "PASS_FONCIER", "year", year, "amount",
                        ENVELOPE)).post(BASE + "/envelopes").then().statusCode(201);
                CyclicBarrier start = new CyclicBarrier(AMOUNTS.length);
                List<Future<Response>> replies = new ArrayList<>();
                for (int i = 0; i < AMOUNTS.length; i++) {
                    String id = conventions.get(i);
                    Map<String, Object> content = validContent(w);
                    list(content, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", year, AMOUNTS[i],
                            false, "CIL"));
                    String tag = etag(id);
                    replies.add(pool.submit(() -> {
                        start.await();
                        return as(uesl).header("If-Match", tag).body(content).put(BASE + "/" + id + "/content");
                    }));
                }
                long accepted = 0;
                List<Long> refused = new ArrayList<>();
                for (int i = 0; i < AMOUNTS.length; i++) {
                    Response r = replies.get(i).get();
                    if (r.statusCode() == 200) {
                        accepted += AMOUNTS[i];
                    } else {
                        assertThat(r.statusCode()).as("round %d: %s", round, r.asString()).isEqualTo(422);
                        assertThat(r.jsonPath().getString("rule")).isEqualTo("R-10");
                        refused.add(AMOUNTS[i]);
                    }
                }
                // What the database holds: the commitments of every convention on this envelope.
                long stored = count("SELECT coalesce(sum((c->>'amount')::bigint), 0) FROM convention v,"
                        + " jsonb_array_elements(v.document->'content'->'commitments') c WHERE v.status <> 'TERMINATED'"
                        + " AND c->>'cilId' = '" + w.cilPresent() + "' AND c->>'product' = 'PASS_FONCIER'"
                        + " AND (c->>'year')::int = " + year);
                assertThat(stored).as("round %d: stored commitments", round).isEqualTo(accepted)
                        .isLessThanOrEqualTo(ENVELOPE);
                // ... and no refusal was needless: each refused commitment did not fit what the others took.
                for (long amount : refused) {
                    assertThat(accepted + amount).as("round %d: refused %d", round, amount).isGreaterThan(ENVELOPE);
                }
                assertThat(refused).as("round %d", round).isNotEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("R-10 a délégué's draft ties up no envelope; commitments count from the negotiation on; refusals show no amount")
    void draftsDoNotCountAndRefusalsShowNoAmount() {
        World w = world();
        String envelopeId = as(uesl).body(Map.of("cilId", w.cilPresent(), "product", "PASS_FONCIER", "year", 2012,
                "amount", 100)).post(BASE + "/envelopes").then().statusCode(201).extract().path("envelopeId");
        String negotiating = inNegotiation(w, createCampaign(10));
        Map<String, Object> seventyThree = validContent(w);
        list(seventyThree, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", 2012, 73, false, "CIL"));
        revise(negotiating, seventyThree).then().statusCode(200);

        // Two délégué's drafts of 27 each: each fits what remains, neither takes it.
        String first = draft(w, createCampaign(10));
        String second = draft(w, createCampaign(10));
        Map<String, Object> twentySeven = validContent(w);
        list(twentySeven, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", 2012, 27, false, "CIL"));
        reviseAs(w.delegueToken(), first, twentySeven).then().statusCode(200);
        reviseAs(w.delegueToken(), second, twentySeven).then().statusCode(200);
        as(uesl).get(BASE + "/envelopes/" + envelopeId).then().body("committed", is(73)).body("remaining", is(27));

        // Over what remains: refused to the délégué, who may not read the envelope, without any of its amounts.
        Map<String, Object> thirty = validContent(w);
        list(thirty, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", 2012, 30, false, "CIL"));
        Response over = reviseAs(w.delegueToken(), first, thirty);
        refused(over, "R-10");
        // Whole numbers only: the CIL's random SIREN may contain these digits.
        assertThat(over.jsonPath().getString("detail")).containsPattern("\\b30\\b")
                .doesNotContainPattern("\\b(27|73|100)\\b");
        as(w.delegueToken()).get(BASE + "/envelopes/" + envelopeId).then().statusCode(403);

        // The negotiation starts: the first draft's commitments count, the second's no longer fit.
        transition(first, "negotiation", Map.of()).then().statusCode(200).body("status", is("IN_NEGOTIATION"));
        as(uesl).get(BASE + "/envelopes/" + envelopeId).then().body("committed", is(100)).body("remaining", is(0));
        refused(transition(second, "negotiation", Map.of()), "R-10");
        as(uesl).get(BASE + "/" + second).then().body("status", is("DRAFT"));
    }

    private String draft(World w, String campaign) {
        return as(w.delegueToken()).body(Map.of("campaignId", campaign, "territoryId", w.territoryId(), "kind",
                "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 1)).post(BASE).then().statusCode(201)
                .extract().path("conventionId");
    }

    private String inNegotiation(World w, String campaign) {
        String id = draft(w, campaign);
        transition(id, "negotiation", Map.of("reason", "conférence régionale")).then().statusCode(200);
        return id;
    }

    private Response reviseAs(String token, String id, Object content) {
        return as(token).header("If-Match", etag(id)).body(content).put(BASE + "/" + id + "/content");
    }

    private static void refused(Response r, String rule) {
        r.then().statusCode(422).contentType("application/problem+json").body("rule", is(rule));
    }
}
