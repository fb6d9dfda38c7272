package fr.actionlogement.territorial.apicontract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.output.MarkdownRender;

/**
 * Each service's document as this build produces it, compared by OpenAPI Diff with the baseline committed in
 * {@code api-contract/baseline/} (the documents of the last release). A change a client generated from the baseline
 * would break fails, unless the document's major version was bumped (docs/api.md, "How it is checked"). After a
 * release, or once an intended break is accepted with its major bump, refresh the baseline with
 * {@code ./mvnw -pl api-contract verify -Dcontract.baseline.update=true} and commit it.
 */
class CompatibilityTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    static Stream<Arguments> services() {
        return Stream.of("territories", "conventions", "partnerships", "observatory").map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}-service: no breaking change against baseline/{0}.json without a major bump")
    @MethodSource("services")
    void noBreakingChange(String service) throws IOException {
        Path current = ROOT.resolve(service + "-service/target/openapi/openapi.json");
        Path baseline = ROOT.resolve("api-contract/baseline/" + service + ".json");
        assertThat(current).as("the service's document (package the service first)").isRegularFile();
        if (Boolean.getBoolean("contract.baseline.update")) {
            Files.copy(current, baseline, StandardCopyOption.REPLACE_EXISTING);
            System.out.printf("[compatibility] %s: baseline refreshed from %s%n", service, current);
            return;
        }
        assertThat(baseline).as("the committed baseline").isRegularFile();

        ChangedOpenApi diff = OpenApiCompare.fromFiles(baseline.toFile(), current.toFile());
        String was = diff.getOldSpecOpenApi().getInfo().getVersion();
        String now = diff.getNewSpecOpenApi().getInfo().getVersion();
        System.out.printf("[compatibility] %s %s -> %s: %d new, %d removed, %d changed operations; %s%n", service,
                was, now, diff.getNewEndpoints().size(), diff.getMissingEndpoints().size(),
                diff.getChangedOperations().size(), diff.isCoreChanged());
        if (diff.isIncompatible() && major(now) > major(was)) {
            System.out.printf("[compatibility] %s: breaking changes accepted by the major bump %s -> %s%n", service, was,
                    now);
            return;
        }
        assertThat(diff.isIncompatible())
                .as("%s-service breaks clients generated from baseline/%s.json (version %s -> %s). Make the change "
                        + "compatible, or follow docs/api.md for an intended break (new path, major bump). "
                        + "OpenAPI Diff:%n%s", service, service, was, now, markdown(diff))
                .isFalse();
    }

    private static int major(String version) {
        return Integer.parseInt(version.split("\\.")[0]);
    }

    private static String markdown(ChangedOpenApi diff) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStreamWriter writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            new MarkdownRender().render(diff, writer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
