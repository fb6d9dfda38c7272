package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import fr.actionlogement.territorial.localstack.LocalStack;

/**
 * docs/getting-started.md, executed so that it never rots: every fenced {@code bash} block, in order, as one script
 * (later blocks use the variables of earlier ones, as in a newcomer's terminal), under {@code set -euo pipefail}, with
 * {@code GATEWAY} and {@code KEYCLOAK} pointing at the test stack. Blocks fenced {@code sh} (e.g. {@code bin/start})
 * are for the reader only. It runs first, on the fresh stack the page asks for.
 */
@ExtendWith(SystemStack.class)
@org.junit.jupiter.api.Order(JourneyOrder.GETTING_STARTED)
@DisplayName("Walkthrough: docs/getting-started.md runs to the end against the packaged system")
class GettingStartedTest {

    private static final Pattern BASH_BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```");
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    static List<String> bashBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = BASH_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    @DisplayName("every bash block of docs/getting-started.md, in order, exits 0 (curl --fail-with-body, set -euo pipefail)")
    void walkthroughRuns(LocalStack stack, @TempDir Path work) throws IOException, InterruptedException {
        Path doc = Path.of(System.getProperty("repo.root", "..")).resolve("docs/getting-started.md");
        List<String> blocks = bashBlocks(Files.readString(doc));
        assertThat(blocks).as("bash blocks of " + doc).hasSizeGreaterThan(10);

        // Each block announces itself on stderr, so a failure names the block that broke.
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            String first = blocks.get(i).lines().findFirst().orElse("");
            script.append("echo '>>> block ").append(i + 1).append('/').append(blocks.size()).append(": ")
                    .append(first.replace("'", "")).append("' >&2\n").append(blocks.get(i)).append('\n');
        }
        Path file = work.resolve("getting-started.sh");
        Files.writeString(file, script);
        Path log = work.resolve("getting-started.log");

        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("GATEWAY", stack.gatewayUrl());
        pb.environment().put("KEYCLOAK", stack.keycloakUrl());
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        System.out.printf("[journey] getting-started walkthrough: %d blocks, %d s%n", blocks.size(),
                (System.nanoTime() - t0) / 1_000_000_000L);
        assertThat(done).as("walkthrough finished within " + TIMEOUT).isTrue();
        assertThat(p.exitValue()).as("exit code of the walkthrough; its output:\n" + tail(output)).isZero();
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 40),
                lines.length));
    }
}
