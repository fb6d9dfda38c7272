package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import fr.actionlogement.territorial.localstack.LocalStack;

/**
 * The apps start with the JDK AOT cache their package wrote (issue 13, start-up): built with a JDK 25 or newer every
 * app has one, the stack passes it, and the JVM took it (it says so in the app's log when it cannot map it: another
 * JDK, a jar that is not the one it was trained with, another class path).
 */
@ExtendWith(SystemStack.class)
@DisplayName("System: every app starts with the AOT cache its build trained")
class AppStartUpTest {

    @Test
    @DisplayName("each app has its app.aot (JDK 25+), runs with -XX:AOTCache from its folder, and the JVM mapped it")
    void appsStartWithTheirAotCache(LocalStack stack) throws IOException {
        for (LocalStack.App app : LocalStack.APPS) {
            if (Runtime.version().feature() >= 25) {
                assertThat(stack.aotCache(app)).as("%s's AOT cache (profile aot-cache of the parent pom)", app.name())
                        .isPresent();
            }
            if (stack.aotCache(app).isEmpty()) {
                continue;
            }
            ProcessHandle process = stack.process(app.name()).orElseThrow();
            assertThat(process.info().arguments().orElseThrow()).as("%s's JVM arguments", app.name())
                    .contains("-XX:AOTCache=" + LocalStack.AOT_CACHE, "quarkus-run.jar");
            assertThat(Files.readString(stack.log(app.name()))).as("%s's log", app.name())
                    .doesNotContain("[aot]").contains("started in");
        }
    }
}
