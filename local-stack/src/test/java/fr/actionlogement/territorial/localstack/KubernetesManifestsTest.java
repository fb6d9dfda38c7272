package fr.actionlogement.territorial.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The Kubernetes sources (deploy/k8s) render with {@code kubectl kustomize} (base and each overlay) and keep the
 * invariants an operator relies on: the HPA owns the replica count, every Deployment is selected by a NetworkPolicy
 * under a default deny, the Ingress never publishes /q/metrics or /q/health, every ConfigMap is generated with a
 * hash suffix, and every topic of the system (events and dead letters) has its KafkaTopic. Skipped, loudly, where
 * {@code kubectl} is not on the PATH.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final List<String> TARGETS = List.of("base", "overlays/dev", "overlays/prod");
    private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void render() throws Exception {
        String kubectl = findOnPath("kubectl");
        if (kubectl == null) {
            System.err.println("[k8s] WARNING: kubectl is not on the PATH; the Kubernetes manifests are NOT checked "
                    + "(install the Debian package kubectl)");
            Assumptions.abort("kubectl not on the PATH");
        }
        for (String target : TARGETS) {
            Process p = new ProcessBuilder(kubectl, "kustomize", K8S.resolve(target).toString())
                    .redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize %s finished", target).isTrue();
            assertThat(p.exitValue()).as("kubectl kustomize %s: %s", target, err).isZero();
            List<JsonNode> objects = new ArrayList<>();
            try (var parser = YAML.getFactory().createParser(out)) {
                Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
                it.forEachRemaining(n -> {
                    if (n != null && !n.isNull() && !n.isMissingNode()) {
                        objects.add(n);
                    }
                });
            }
            RENDERED.put(target, objects);
            System.out.println("[k8s] " + target + ": " + objects.size() + " objects");
        }
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static Stream<JsonNode> kind(String target, String kind) {
        return RENDERED.get(target).stream().filter(o -> o.path("kind").asText().equals(kind));
    }

    private static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "overlays/dev", "overlays/prod" })
    @DisplayName("the five apps and the engines render, with every container probed, limited and non-root")
    void apps(String target) {
        assertThat(kind(target, "Deployment").map(KubernetesManifestsTest::name)).containsExactlyInAnyOrder(
                "gateway", "territories-service", "conventions-service", "partnerships-service", "observatory-service");
        for (String k : List.of("Kafka", "KafkaNodePool", "Cluster", "Keycloak", "KeycloakRealmImport",
                "ServiceMonitor", "PrometheusRule")) {
            assertThat(kind(target, k).count()).as("%s in %s", k, target).isEqualTo(1);
        }
        kind(target, "Deployment").forEach(d -> {
            JsonNode spec = d.path("spec").path("template").path("spec");
            assertThat(spec.path("securityContext").path("runAsNonRoot").asBoolean()).as(name(d)).isTrue();
            assertThat(spec.path("topologySpreadConstraints").size()).as("spread of %s", name(d)).isPositive();
            for (JsonNode c : spec.path("containers")) {
                assertThat(c.has("readinessProbe") && c.has("livenessProbe") && c.has("startupProbe")).as(name(d))
                        .isTrue();
                assertThat(c.path("resources").path("requests").has("memory")).as(name(d)).isTrue();
                assertThat(c.path("resources").path("limits").has("memory")).as(name(d)).isTrue();
                assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(name(d)).isTrue();
                assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as(name(d))
                        .isFalse();
            }
        });
    }

    /**
     * The published API models the rendered objects are parsed into: Kubernetes' own (fabric8's model of the API
     * schemas), the Prometheus Operator's (fabric8's monitoring model) and Strimzi's ({@code io.strimzi:api}).
     * CloudNativePG and the Keycloak operator publish no Java model on Maven Central: their resources are only
     * checked by the invariants below and by the API server at apply time.
     */
    private static final Map<String, Class<?>> API_MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy",
                    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor",
                    io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule",
                    io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class));
    private static final Set<String> WITHOUT_MODEL = Set.of("postgresql.cnpg.io/v1/Cluster",
            "postgresql.cnpg.io/v1/Database", "postgresql.cnpg.io/v1/ScheduledBackup", "k8s.keycloak.org/v2alpha1/Keycloak",
            "k8s.keycloak.org/v2alpha1/KeycloakRealmImport");

    @ParameterizedTest
    @ValueSource(strings = { "base", "overlays/dev", "overlays/prod" })
    @DisplayName("every core, monitoring and Strimzi object parses into its published API model: right types, no unknown field")
    void strictlyValidAgainstTheApiModels(String target) {
        List<String> errors = new ArrayList<>();
        int validated = 0;
        for (JsonNode object : RENDERED.get(target)) {
            String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
            Class<?> model = API_MODELS.get(type);
            if (model == null) {
                assertThat(WITHOUT_MODEL).as("%s %s: neither validated nor known to be without a model", type,
                        name(object)).contains(type);
                continue;
            }
            String where = type + " " + name(object);
            try {
                Object parsed = JSON.treeToValue(object, model);
                unknownFields(parsed, where, errors, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
                validated++;
            } catch (IOException | IllegalArgumentException e) {
                errors.add(where + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        System.out.println("[k8s] " + target + ": " + validated + " objects validated against their API models");
        assertThat(errors).as("objects that the API would refuse or whose fields it would drop").isEmpty();
        assertThat(validated).isGreaterThan(40);
    }

    /**
     * The generated models keep a field they do not know in {@code additionalProperties} instead of failing: any such
     * field, at any depth, is a field the API server would refuse (or silently drop).
     */
    private static void unknownFields(Object value, String path, List<String> errors, Set<Object> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || !seen.add(value)) {
            return;
        }
        if (value instanceof Iterable<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", errors, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, errors, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.") && !pkg.startsWith("io.strimzi.")) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field field : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        errors.add(path + ": unknown field(s) " + extra.keySet());
                    }
                } else {
                    unknownFields(fieldValue, path + "." + field.getName(), errors, seen);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "overlays/dev", "overlays/prod" })
    @DisplayName("no Deployment scaled by an HPA sets replicas (an apply would reset the HPA's count)")
    void noReplicasBesideAnHpa(String target) {
        Set<String> scaled = kind(target, "HorizontalPodAutoscaler")
                .map(h -> h.path("spec").path("scaleTargetRef").path("name").asText()).collect(Collectors.toSet());
        assertThat(scaled).hasSize(5);
        kind(target, "Deployment").filter(d -> scaled.contains(name(d)))
                .forEach(d -> assertThat(d.path("spec").has("replicas")).as("replicas of %s", name(d)).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "overlays/dev", "overlays/prod" })
    @DisplayName("a default deny, and every Deployment selected by a NetworkPolicy that allows its ingress")
    void networkPolicies(String target) {
        List<JsonNode> policies = kind(target, "NetworkPolicy").toList();
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.path("spec").path("podSelector").size()).isZero();
            assertThat(p.path("spec").has("ingress") || p.path("spec").has("egress")).isFalse();
            assertThat(texts(p.path("spec").path("policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
        });
        kind(target, "Deployment").forEach(d -> {
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            assertThat(policies).as("a NetworkPolicy allowing traffic to %s", name(d))
                    .anySatisfy(p -> {
                        assertThat(p.path("spec").path("podSelector").size()).isPositive();
                        assertThat(selects(p.path("spec").path("podSelector"), labels)).isTrue();
                        assertThat(p.path("spec").path("ingress").size()).isPositive();
                    });
            // Who may reach it: the ingress controller (gateway) or the gateway (services), and Prometheus.
            Set<String> allowed = name(d).equals("gateway") ? Set.of("namespace:ingress-nginx", "namespace:monitoring")
                    : Set.of("pod:gateway", "namespace:monitoring");
            policies.stream().filter(p -> p.path("spec").path("podSelector").size() > 0)
                    .filter(p -> selects(p.path("spec").path("podSelector"), labels))
                    .forEach(p -> {
                        for (JsonNode rule : p.path("spec").path("ingress")) {
                            assertThat(rule.path("from").size()).as("%s: a rule without from", name(p)).isPositive();
                            for (JsonNode peer : rule.path("from")) {
                                assertThat(allowed).as("peer %s of %s reaching %s", peer, name(p), name(d))
                                        .contains(peerName(peer));
                            }
                        }
                    });
        });
    }

    private static String peerName(JsonNode peer) {
        if (peer.has("namespaceSelector")) {
            return "namespace:" + peer.path("namespaceSelector").path("matchLabels")
                    .path("kubernetes.io/metadata.name").asText();
        }
        return "pod:" + peer.path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "overlays/dev", "overlays/prod" })
    @DisplayName("every ConfigMap is generated with a hash suffix, and the Deployments read that one")
    void configMapsHashed(String target) {
        Set<String> names = kind(target, "ConfigMap").map(KubernetesManifestsTest::name).collect(Collectors.toSet());
        // One per app, and the cluster's settings every app shares.
        assertThat(names).hasSize(6).allSatisfy(n -> assertThat(n).matches(".+-[a-z0-9]{10}"));
        kind(target, "Deployment").forEach(d -> {
            for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
                for (JsonNode from : c.path("envFrom")) {
                    assertThat(names).contains(from.path("configMapRef").path("name").asText());
                }
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "overlays/dev", "overlays/prod" })
    @DisplayName("every app reads the cluster's settings: traces exported over OTLP/HTTP, X-Forwarded-* trusted from the pod CIDR")
    void clusterSettings(String target) {
        List<JsonNode> cluster = kind(target, "ConfigMap").filter(c -> name(c).startsWith("territorial-cluster-"))
                .toList();
        assertThat(cluster).hasSize(1);
        JsonNode data = cluster.get(0).path("data");
        assertThat(data.path("QUARKUS_OTEL_SDK_DISABLED").asText()).isEqualTo("false");
        assertThat(data.path("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").asText()).matches("https?://[^/]+:4318");
        assertThat(data.path("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES").asText())
                .matches("[0-9a-f.:]+/[0-9]{1,3}(,[0-9a-f.:]+/[0-9]{1,3})*");
        List<JsonNode> apps = kind(target, "Deployment").filter(d -> d.path("spec").path("template")
                .path("metadata").path("labels").has("app.kubernetes.io/component")).toList();
        assertThat(apps).hasSize(5).allSatisfy(d -> assertThat(d.path("spec").path("template").path("spec")
                .path("containers").get(0).path("envFrom").findValuesAsText("name")).contains(name(cluster.get(0))));
        // No app sets them on its own, so the cluster's values are the ones in force.
        kind(target, "ConfigMap").filter(c -> c != cluster.get(0)).forEach(c -> assertThat(c.path("data").has(
                "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES")).as(name(c)).isFalse());
    }

    @Test
    @DisplayName("the production Ingress publishes the gateway's /api, /openapi and Swagger UI, never /q/metrics or /q/health")
    void ingress() {
        List<JsonNode> ingresses = kind("overlays/prod", "Ingress").toList();
        assertThat(ingresses).hasSize(1);
        List<String> paths = new ArrayList<>();
        for (JsonNode rule : ingresses.get(0).path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                paths.add(path.path("path").asText());
                assertThat(path.path("backend").path("service").path("name").asText()).isEqualTo("gateway");
            }
        }
        assertThat(paths).containsExactlyInAnyOrder("/api", "/openapi", "/q/swagger-ui");
        for (String hidden : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/openapi")) {
            assertThat(paths).noneMatch(p -> hidden.startsWith(p) || p.startsWith(hidden));
        }
        assertThat(ingresses.get(0).path("spec").path("tls").size()).isPositive();
        assertThat(kind("overlays/dev", "Ingress").count()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/prod" })
    @DisplayName("an overlay creates its Namespace and puts every object in it")
    void namespace(String target) {
        List<String> namespaces = kind(target, "Namespace").map(KubernetesManifestsTest::name).toList();
        assertThat(namespaces).hasSize(1);
        RENDERED.get(target).stream().filter(o -> !o.path("kind").asText().equals("Namespace"))
                .forEach(o -> assertThat(o.path("metadata").path("namespace").asText())
                        .as("namespace of %s %s", o.path("kind").asText(), name(o)).isEqualTo(namespaces.get(0)));
    }

    @Test
    @DisplayName("SNAPSHOT images are pulled on every start (dev), released ones are not re-pulled (prod)")
    void imagePullPolicy() {
        kind("overlays/dev", "Deployment").forEach(d -> {
            JsonNode c = d.path("spec").path("template").path("spec").path("containers").get(0);
            assertThat(c.path("image").asText()).endsWith("-SNAPSHOT");
            assertThat(c.path("imagePullPolicy").asText()).as(name(d)).isEqualTo("Always");
        });
        kind("overlays/prod", "Deployment").forEach(d -> {
            JsonNode c = d.path("spec").path("template").path("spec").path("containers").get(0);
            assertThat(c.path("image").asText()).doesNotContain("SNAPSHOT");
            assertThat(c.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "overlays/prod" })
    @DisplayName("every topic of the system, dead-letter topics included, has its KafkaTopic; every ACL names one")
    void kafkaTopics(String target) {
        Map<String, JsonNode> topics = kind(target, "KafkaTopic")
                .collect(Collectors.toMap(t -> t.path("spec").path("topicName").asText(), t -> t));
        List<String> expected = new ArrayList<>(LocalStack.EVENT_TOPICS);
        expected.addAll(LocalStack.dlqTopics());
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(topics.get(LocalStack.COMPACTED_TOPIC).path("spec").path("config").path("cleanup.policy").asText())
                .isEqualTo("compact");
        for (String dlq : LocalStack.dlqTopics()) {
            assertThat(topics.get(dlq).path("spec").path("config").has("retention.ms")).as(dlq).isTrue();
        }
        int replicas = target.equals("overlays/prod") ? 3 : 1;
        topics.values().forEach(t -> assertThat(t.path("spec").path("replicas").asInt()).isEqualTo(replicas));
        List<String> users = kind(target, "KafkaUser").map(KubernetesManifestsTest::name).toList();
        assertThat(users).containsExactlyInAnyOrder("territories-service", "conventions-service",
                "partnerships-service", "observatory-service");
        kind(target, "KafkaUser").forEach(u -> {
            for (JsonNode acl : u.path("spec").path("authorization").path("acls")) {
                if (acl.path("resource").path("type").asText().equals("topic")) {
                    assertThat(topics).containsKey(acl.path("resource").path("name").asText());
                }
            }
        });
    }

    @Test
    @DisplayName("the production realm: no demo user, no password grant, no secret in clear, imported as in its file")
    void productionRealm() throws IOException {
        JsonNode realm = JSON.readTree(ROOT.resolve("deploy/keycloak/action-logement-realm.prod.json").toFile());
        for (JsonNode user : realm.path("users")) {
            assertThat(user.has("serviceAccountClientId")).as(user.path("username").asText()).isTrue();
            assertThat(user.has("credentials")).isFalse();
        }
        for (JsonNode client : realm.path("clients")) {
            String id = client.path("clientId").asText();
            assertThat(client.path("directAccessGrantsEnabled").asBoolean(false)).as(id).isFalse();
            if (client.has("secret")) {
                assertThat(client.path("secret").asText()).as(id).matches("\\$\\{[A-Z_]+}");
            }
            for (JsonNode uri : client.path("redirectUris")) {
                assertThat(uri.asText()).as(id).startsWith("https://");
            }
        }
        assertThat(realm.path("sslRequired").asText()).isEqualTo("all");
        JsonNode imported = kind("overlays/prod", "KeycloakRealmImport").findFirst().orElseThrow();
        assertThat(imported.path("spec").path("realm")).isEqualTo(realm);
        assertThat(imported.path("spec").path("placeholders").size()).isPositive();
    }

    @Test
    @DisplayName("no plaintext Secret in any rendering")
    void noSecrets() {
        for (String target : TARGETS) {
            assertThat(kind(target, "Secret").map(KubernetesManifestsTest::name)).as(target).isEmpty();
        }
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** A label selector (matchLabels and matchExpressions with In) applied to a pod's labels. */
    private static boolean selects(JsonNode selector, JsonNode labels) {
        Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String value = labels.path(expr.path("key").asText()).asText(null);
            boolean in = value != null && texts(expr.path("values")).contains(value);
            if (!expr.path("operator").asText().equals("In") || !in) {
                return false;
            }
        }
        return true;
    }
}
