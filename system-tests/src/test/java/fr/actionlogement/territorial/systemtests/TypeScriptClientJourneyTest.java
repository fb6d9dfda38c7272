package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.SaintEtienneWorld.SAINT_ETIENNE_SIREN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import fr.actionlogement.territorial.localstack.DemoUsers;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.Identity;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.OpenApiContract;

/**
 * The convention and partnership journeys replayed by the generated TypeScript client ({@code clients/typescript}:
 * openapi-typescript types, openapi-fetch, compiled with {@code tsc --strict}), run with {@code node} against the
 * gateway with real Keycloak tokens. The script makes its own world (a CIL and a filiale of fresh SIRENs present on
 * Saint-Étienne Métropole), asserts every step itself and prints its outcomes; this test checks the exit code, then
 * reads the outcomes back through the gateway, so a script that stopped early or lied cannot pass.
 */
@ExtendWith(SystemStack.class)
@org.junit.jupiter.api.Order(JourneyOrder.TYPESCRIPT_CLIENT)
@DisplayName("Journeys with the generated TypeScript client (node): a convention and a partnership on Saint-Étienne Métropole")
class TypeScriptClientJourneyTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(8);

    @Test
    @DisplayName("R-01..R-15 R-20..R-24 node replays both journeys through the gateway; the outcomes read back signed")
    void journeysRunInNode(GatewayApi api, @TempDir Path work) throws Exception {
        Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Path client = root.resolve("clients/typescript");
        Path script = client.resolve("target/dist/src/journeys.js");
        assertThat(script).as("the compiled journey (./mvnw install -pl clients/typescript)").isRegularFile();

        String cil = LyonWorld.siren();
        String filiale = LyonWorld.siren();
        Path log = work.resolve("journeys.log");
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).directory(client.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        var env = pb.environment();
        env.put("GATEWAY_URL", api.baseUrl());
        env.put("UESL_TOKEN", api.token(Identity.UESL));
        env.put("DELEGUE_TOKEN", api.token(Identity.DELEGUE_ARA));
        env.put("DELEGUE_SUBJECT", api.claims(Identity.DELEGUE_ARA).path("sub").asText());
        env.put("DELEGUE_USERNAME", DemoUsers.DELEGUE_ARA);
        env.put("REGION", LyonWorld.REGION);
        env.put("COLLECTIVITE_SIREN", SAINT_ETIENNE_SIREN);
        env.put("CIL_ID", cil);
        env.put("FILIALE_ID", filiale);
        long t0 = System.nanoTime();
        Process node = pb.start();
        boolean done = node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            node.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        output.forEach(System.out::println);
        System.out.printf("[journey] TypeScript client journeys: %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);
        assertThat(done).as("node finished within %s", TIMEOUT).isTrue();
        assertThat(node.exitValue()).as("exit code of node; output:\n%s", String.join("\n", output)).isZero();

        JsonNode outcome = GatewayApi.JSON.readTree(output.get(output.size() - 1));
        String conventionId = outcome.at("/convention/conventionId").asText();
        String agreementId = outcome.at("/partnership/agreementId").asText();
        assertThat(outcome.at("/convention/status").asText()).isEqualTo("SIGNED");
        assertThat(outcome.at("/partnership/status").asText()).isEqualTo("SIGNED");

        // Read back through the gateway, independently of the script.
        var uesl = api.as(Identity.UESL);
        var convention = uesl.get("/api/conventions/" + conventionId).expect(200).json();
        assertThat(convention.path("status").asText()).isEqualTo("SIGNED");
        assertThat(convention.path("territoryId").asText()).isEqualTo("EPCI:" + SAINT_ETIENNE_SIREN);
        assertThat(convention.at("/content/signatories/0/partyId").asText()).isEqualTo(cil);
        var agreement = uesl.get("/api/partnerships/agreements/" + agreementId).expect(200).json();
        assertThat(agreement.path("status").asText()).isEqualTo("SIGNED");
        assertThat(agreement.path("cilId").asText()).isEqualTo(cil);
        assertThat(agreement.path("filialeId").asText()).isEqualTo(filiale);
        assertThat(api.as(Identity.UESL).accept("application/pdf")
                .get("/api/partnerships/agreements/" + agreementId + "/documents/1/content").expect(200).text())
                .startsWith("%PDF-");
        assertThat(uesl.get("/api/territories/cils/" + filiale).expect(200).at("/parentCilId")).isEqualTo(cil);
        // The last journey of the run: what OpenApiContract checked against /openapi/merged so far.
        System.out.println("[contract] " + OpenApiContract.figures());
    }
}
