package fr.actionlogement.territorial.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;

/**
 * Starts the real stack once for every system test class of the run (root store, closed at the end): embedded
 * PostgreSQL and Kafka, Keycloak with the realm export, the four services and the gateway from their packaged jars,
 * all on free loopback ports. Test methods (and {@code @BeforeAll} methods) receive the {@link LocalStack}, or a
 * {@link GatewayApi} over it (one per run, sharing its token cache), as a parameter.
 */
public final class SystemStack implements BeforeAllCallback, ParameterResolver {

    private static final String KEY = "system-stack";

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    static LocalStack stack(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> new Handle(start()), Handle.class).stack;
    }

    static GatewayApi api(ExtensionContext context) {
        LocalStack stack = stack(context);
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY + "-api", k -> new GatewayApi(stack), GatewayApi.class);
    }

    private static LocalStack start() {
        Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Path gatewayJar = root.resolve("gateway/target/quarkus-app/quarkus-run.jar");
        Assumptions.assumeTrue(Files.isRegularFile(gatewayJar), () -> loud(
                "SYSTEM TESTS SKIPPED: " + gatewayJar + " is missing; package the apps first "
                        + "(./mvnw -B -ntp install -DskipTests) or run the whole build (./mvnw verify)."));
        Path data = Path.of(System.getProperty("system-tests.data", "target/stack")).toAbsolutePath();
        LocalStack.Options options = LocalStack.Options.freePorts(root, data)
                .keycloakDistribution(Path.of(System.getProperty("keycloak.distribution")))
                .requireAllApps(true)
                .keycloakTimeout(Duration.ofMinutes(6))
                .appTimeout(Duration.ofMinutes(5))
                .build();
        return LocalStack.start(options);
    }

    static String loud(String message) {
        String bar = "!".repeat(Math.min(110, message.length() + 8));
        System.err.println("\n" + bar + "\n!!! " + message + "\n" + bar + "\n");
        return message;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == LocalStack.class || p.getParameter().getType() == GatewayApi.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == GatewayApi.class ? api(e) : stack(e);
    }

    private record Handle(LocalStack stack) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            stack.close();
        }
    }
}
