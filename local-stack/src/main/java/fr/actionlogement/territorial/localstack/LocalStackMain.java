package fr.actionlogement.territorial.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/start}: the whole system on the documented loopback ports, data kept in {@code .local/}, stopped
 * cleanly on Ctrl-C. Run from the repository root.
 *
 * <p>
 * Environment: {@code LOCAL_STACK_POSTGRES_URL} (+ {@code _USER}, {@code _PASSWORD}), {@code LOCAL_STACK_KAFKA},
 * {@code LOCAL_STACK_KEYCLOAK_URL} use existing servers instead of the embedded ones; {@code LOCAL_STACK_DATA}
 * moves the data folder (docs/local-run.md).
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        Map<String, String> env = System.getenv();
        Path data = Path.of(env.getOrDefault("LOCAL_STACK_DATA", root.resolve(".local").toString()));
        LocalStack.Options.Builder options = LocalStack.Options.fixedPorts(root, data)
                .keycloakDistribution(root.resolve("local-stack/target/keycloak-" + keycloakVersion()));
        if (env.containsKey("LOCAL_STACK_POSTGRES_URL")) {
            options.externalPostgres(env.get("LOCAL_STACK_POSTGRES_URL"),
                    env.getOrDefault("LOCAL_STACK_POSTGRES_USER", "postgres"),
                    env.getOrDefault("LOCAL_STACK_POSTGRES_PASSWORD", "postgres"));
        }
        if (env.containsKey("LOCAL_STACK_KAFKA")) {
            options.externalKafka(env.get("LOCAL_STACK_KAFKA"));
        }
        if (env.containsKey("LOCAL_STACK_KEYCLOAK_URL")) {
            options.externalKeycloak(env.get("LOCAL_STACK_KEYCLOAK_URL"));
        }

        CountDownLatch stopped = new CountDownLatch(1);
        LocalStack[] holder = new LocalStack[1];
        Thread hook = new Thread(() -> {
            System.out.println("\n[local-stack] stopping ...");
            synchronized (holder) {
                if (holder[0] != null) {
                    holder[0].close();
                }
            }
            System.out.println("[local-stack] stopped.");
            stopped.countDown();
        }, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        LocalStack stack;
        try {
            stack = LocalStack.start(options.build());
        } catch (RuntimeException e) {
            System.err.println("\n[local-stack] start-up failed: " + e.getMessage());
            Runtime.getRuntime().removeShutdownHook(hook);
            System.exit(1);
            return;
        }
        synchronized (holder) {
            holder[0] = stack;
        }
        printSummary(stack, data, System.out);
        stopped.await(); // until Ctrl-C
    }

    private static void printSummary(LocalStack stack, Path data, PrintStream out) {
        out.println();
        out.println("=".repeat(96));
        out.printf("Territorial partnerships: running (start-up took %.1f s). Ctrl-C stops everything.%n",
                stack.startupTime().toMillis() / 1000.0);
        out.println("=".repeat(96));
        out.printf("  %-26s %s%n", "gateway", stack.gatewayUrl());
        out.printf("  %-26s %s%n", "Swagger UI (all services)", stack.gatewayUrl() + "/q/swagger-ui");
        out.printf("  %-26s %s%n", "Keycloak admin console", stack.keycloakUrl() + "/admin/master/console/");
        out.printf("  %-26s %s%n", "Keycloak realm", stack.issuer());
        for (LocalStack.App app : LocalStack.APPS) {
            if (app.isGateway()) {
                continue;
            }
            String state = stack.skippedApps().contains(app.name()) ? "   (not built: skipped)" : "";
            out.printf("  %-26s %s/api/%s  (Swagger UI: %s/q/swagger-ui)%s%n", app.name(), stack.url(app.name()),
                    app.context(), stack.url(app.name()), state);
        }
        out.printf("  %-26s %s%n", "PostgreSQL", stack.jdbcUrl("<database>") + "  (postgres / postgres)");
        out.printf("  %-26s %s%n", "Kafka", stack.kafkaBootstrapServers());
        out.printf("  %-26s %s%n", "logs", data.resolve("logs"));
        out.println();
        out.println("Migrations applied: " + stack.appliedMigrations());
        out.println("Topics: " + stack.topics());
        out.println();
        out.println("Demo users (local only; password '" + DemoUsers.PASSWORD + "'; Keycloak admin console: "
                + "admin / admin on first start-dev run, see deploy/keycloak/README.md):");
        for (DemoUsers.Identity u : DemoUsers.USERS) {
            out.printf("  %-20s role %-20s %s%n", u.name(), u.role(), u.claims());
        }
        out.println("Partner clients (client credentials):");
        for (DemoUsers.Partner p : DemoUsers.PARTNERS) {
            out.printf("  %-24s secret %-38s role %-13s %s%n", p.clientId(), p.secret(), p.role(), p.claims());
        }
        out.println();
        out.println("A token for curl:");
        out.printf("  TOKEN=$(curl -s -d grant_type=password -d client_id=%s -d username=%s -d password=%s \\%n"
                + "    %s/protocol/openid-connect/token | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')%n",
                TokenClient.LOCAL_CLI_CLIENT, DemoUsers.UESL, DemoUsers.PASSWORD, stack.issuer());
        out.printf("  curl -H \"Authorization: Bearer $TOKEN\" %s/api/territories/...%n", stack.gatewayUrl());
        if (!stack.skippedApps().isEmpty()) {
            out.println();
            out.println("NOT STARTED (jar missing): " + stack.skippedApps());
        }
    }

    private static String keycloakVersion() {
        Properties p = new Properties();
        try (InputStream in = LocalStackMain.class.getResourceAsStream("/local-stack.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("local-stack.properties missing from the classpath", e);
        }
        return p.getProperty("keycloak.version");
    }
}
