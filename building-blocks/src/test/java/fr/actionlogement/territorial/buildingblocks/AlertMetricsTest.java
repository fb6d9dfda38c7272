package fr.actionlogement.territorial.buildingblocks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every metric the alert rules of {@code deploy/k8s/base/monitoring/prometheusrule.yaml} use exists: the apps' own
 * are served at {@code /q/metrics} of a running app with the building blocks (this probe app, which has the outbox,
 * the relay and HTTP endpoints like every service); the others are named here with the exporter that serves them, so
 * a misspelt app metric cannot pass as someone else's.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class AlertMetricsTest {

    private static final Path RULES = Path.of("..", "deploy", "k8s", "base", "monitoring", "prometheusrule.yaml");
    /** Served by the cluster's exporters, not by the apps. */
    private static final Map<String, String> EXTERNAL = Map.of(
            "kafka_topic_partition_current_offset", "Strimzi's Kafka Exporter",
            "kafka_consumergroup_lag", "Strimzi's Kafka Exporter",
            "kube_deployment_status_replicas_unavailable", "kube-state-metrics",
            "kube_deployment_status_replicas_available", "kube-state-metrics");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

    @Test
    @DisplayName("every metric an alert rule uses is served by the apps (/q/metrics) or by a named cluster exporter")
    void alertsUseRealMetrics() throws Exception {
        Set<String> used = metricsUsedByAlerts(Files.readString(RULES));
        // Outbox backlog and age, HTTP rate and errors, dead letters and consumer lag: each alert has its metric.
        assertThat(used).contains("outbox_pending", "outbox_oldest_pending_age_seconds",
                "http_server_requests_seconds_count", "kafka_topic_partition_current_offset", "kafka_consumergroup_lag");

        // One request, so that the HTTP server metrics have a series.
        given().auth().oauth2(TestTokens.uesl()).accept(ContentType.JSON).when().get("/probes").then().statusCode(200);
        String scraped = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> served = scraped.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));

        Set<String> fromApps = used.stream().filter(m -> !EXTERNAL.containsKey(m))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(fromApps).as("the apps' metrics used by the alerts").isNotEmpty();
        assertThat(served).as("/q/metrics of a running app").containsAll(fromApps);
        // The outbox age is a number of seconds, 0 or more (NaN only while the database is down).
        assertThat(scraped.lines().filter(l -> l.startsWith("outbox_oldest_pending_age_seconds"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
                .isNotEmpty().allSatisfy(age -> assertThat(age).isGreaterThanOrEqualTo(0));
    }

    /** The metric names of every {@code expr}, single-line or a {@code |} block. */
    static Set<String> metricsUsedByAlerts(String rules) {
        List<String> expressions = new ArrayList<>();
        List<String> lines = rules.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("expr:")) {
                continue;
            }
            String value = line.substring("expr:".length()).strip();
            if (value.equals("|")) {
                int indent = lines.get(i).indexOf("expr:");
                StringBuilder block = new StringBuilder();
                while (i + 1 < lines.size() && lines.get(i + 1).indexOf(lines.get(i + 1).strip()) > indent) {
                    block.append(lines.get(++i)).append('\n');
                }
                value = block.toString();
            }
            expressions.add(value);
        }
        assertThat(expressions).as("alert expressions in %s", RULES).hasSizeGreaterThanOrEqualTo(7);
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            // Drop what is not a metric name: strings, label matchers, ranges, grouping clauses, numbers.
            String e = expression.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "")
                    .replaceAll("\\{[^}]*}", "")
                    .replaceAll("\\[[^]]*]", "")
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                    .replaceAll("\\b[0-9][0-9.eE+-]*", "");
            Matcher m = IDENTIFIER.matcher(e);
            while (m.find()) {
                if (!KEYWORDS.contains(m.group()) && !e.substring(m.end()).stripLeading().startsWith("(")) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }
}
