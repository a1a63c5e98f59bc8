package io.admconnect.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay of {@code k8s/} renders with {@code kubectl kustomize}, and every rendered object is valid
 * against the Kubernetes API schema: each is checked by the Kubernetes project's own models (generated from
 * the Kubernetes 1.32 OpenAPI document, like the kubectl here), which refuse unknown fields, missing required
 * fields and wrong types, and its group, version and kind must be one the API serves. Then what the bundle
 * relies on: the routes ConfigMap holds exactly the files of {@code routes/}, probes, security, the shutdown
 * budget, leader election and its RBAC, and each overlay's shape (dev: one replica, sandbox, embedded store;
 * prod: two or more replicas, PostgreSQL, real ADM).
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path ROUTES = Path.of("routes");
    private static final String MODELS = "io.kubernetes.client.openapi.models.";
    private static final String APIS = "io.kubernetes.client.openapi.apis.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    @BeforeAll
    static void kubectlIsThere() {
        boolean present = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
        Assumptions.assumeTrue(present, "SKIPPED: kubectl is not on the PATH, so k8s/ overlays are not rendered or validated"
                + " (the project's machines and CI have kubectl 1.32)");
    }

    static List<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void thereAreDevAndProdOverlays() throws IOException {
        assertTrue(overlays().containsAll(List.of("dev", "prod")), "overlays: " + overlays());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyRenderedObjectIsValidAgainstTheKubernetesApi(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        assertFalse(objects.isEmpty());
        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects) {
            String problem = validate(object);
            if (problem != null) {
                problems.add(object.path("kind").asText() + "/" + object.path("metadata").path("name").asText() + ": " + problem);
            }
        }
        assertEquals(List.of(), problems, overlay + ": objects the Kubernetes API would refuse");
    }

    @Test
    void theSchemaCheckRefusesWhatTheApiWouldRefuse() throws Exception {
        String deployment = """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "n"},
                 "spec": {"selector": {"matchLabels": {"a": "b"}}, "replicas": 1,
                          "template": {"metadata": {"labels": {"a": "b"}},
                                       "spec": {"containers": [{"name": "c", "image": "i",
                                                                "resources": {"limits": {"memory": "1Gi"}}}]}}}}""";
        assertEquals(null, validate(JSON.readTree(deployment)), "the well-formed one passes");
        // what is broken -> the broken object, and what the refusal must say
        Map<String, List<String>> broken = Map.of(
                "unknown field", List.of(deployment.replace("\"image\": \"i\"", "\"image\": \"i\", \"readinesProbe\": {}"),
                        "`readinesProbe` in the JSON string is not defined in the `V1Container`"),
                "missing required field", List.of(deployment.replace("\"name\": \"c\", ", ""), "required field `name` is not found"),
                "retired API version", List.of(deployment.replace("\"kind\": \"Deployment\"", "\"kind\": \"PodDisruptionBudget\"")
                        .replace("apps/v1", "policy/v1beta1"), "no API group version policy/v1beta1"),
                "kind of another group", List.of(deployment.replace("\"kind\": \"Deployment\"", "\"kind\": \"NetworkPolicy\""),
                        "apps/v1 serves no kind NetworkPolicy"),
                "no namespace", List.of(deployment.replace(", \"namespace\": \"n\"", ""), "without a namespace"),
                "string for an integer", List.of(deployment.replace("\"replicas\": 1", "\"replicas\": \"two\""), "\"two\""),
                "bad quantity", List.of(deployment.replace("\"1Gi\"", "\"lots\""), "quantity: lots"));
        for (Map.Entry<String, List<String>> example : broken.entrySet()) {
            String why = validate(JSON.readTree(example.getValue().get(0)));
            assertTrue(why != null && why.contains(example.getValue().get(1)), example.getKey() + " must be refused: " + why);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theRoutesConfigMapHoldsExactlyTheFilesOfRoutes(String overlay) throws Exception {
        Rendered rendered = new Rendered(render(overlay));
        JsonNode routes = rendered.configMap("adm-connect-routes").path("data");
        Map<String, String> inConfigMap = new TreeMap<>();
        routes.fields().forEachRemaining(entry -> inConfigMap.put(entry.getKey(), entry.getValue().asText()));
        Map<String, String> inRepository = new TreeMap<>();
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                inRepository.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        assertEquals(inRepository.keySet(), inConfigMap.keySet(),
                "list every routes/*.yaml file in k8s/base/kustomization.yaml (configMapGenerator adm-connect-routes)");
        assertEquals(inRepository, inConfigMap);

        // ... and the bundle loads them from where the ConfigMap is mounted
        assertEquals("file:" + rendered.mountPathOfConfigMap("adm-connect-routes") + "/*.yaml",
                rendered.config().get("CAMEL_MAIN_ROUTES_INCLUDE_PATTERN"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theDeploymentIsProbedSecuredBoundedAndShutsDownInTime(String overlay) throws Exception {
        Rendered rendered = new Rendered(render(overlay));
        JsonNode pod = rendered.deployment().path("spec").path("template").path("spec");
        JsonNode container = rendered.container();

        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", container.path("startupProbe").path("httpGet").path("path").asText());
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertFalse(container.path("resources").path(kind).path(resource).asText().isEmpty(), kind + "." + resource);
            }
        }
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertTrue(pod.path("securityContext").path("runAsUser").asInt() > 0);
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", security.path("capabilities").path("drop").path(0).asText());
        Set<String> mounted = new HashSet<>();
        container.path("volumeMounts").forEach(mount -> mounted.add(mount.path("mountPath").asText()));
        assertTrue(mounted.containsAll(List.of("/tmp", rendered.config().get("ADM_DATA_DIR"))),
                "writable volumes under the read-only root filesystem: " + mounted);

        JsonNode annotations = rendered.deployment().path("spec").path("template").path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText());
        assertEquals(container.path("ports").path(0).path("containerPort").asText(), annotations.path("prometheus.io/port").asText());

        // SIGTERM: readiness down for the shutdown delay, HTTP requests get their timeout, then Camel its own.
        Properties application = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            application.load(in);
        }
        Duration budget = duration(rendered.config().get("QUARKUS_SHUTDOWN_DELAY"))
                .plus(duration(application.getProperty("quarkus.shutdown.timeout")))
                .plusSeconds(Long.parseLong(application.getProperty("camel.main.shutdown-timeout")));
        long grace = pod.path("terminationGracePeriodSeconds").asLong();
        assertTrue(grace > budget.toSeconds(), "terminationGracePeriodSeconds " + grace + " must exceed the shutdown budget " + budget);

        // every name the pod refers to is rendered (kustomize appends hashes to generated names)
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                assertTrue(rendered.names("ConfigMap").contains(from.path("configMapRef").path("name").asText()));
            } else {
                assertTrue(rendered.names("Secret").contains(from.path("secretRef").path("name").asText()));
            }
        }
        Set<String> volumes = new HashSet<>();
        for (JsonNode volume : pod.path("volumes")) {
            volumes.add(volume.path("name").asText());
            if (volume.has("configMap")) {
                assertTrue(rendered.names("ConfigMap").contains(volume.path("configMap").path("name").asText()));
            }
            if (volume.has("persistentVolumeClaim")) {
                assertTrue(rendered.names("PersistentVolumeClaim").contains(volume.path("persistentVolumeClaim").path("claimName").asText()));
            }
        }
        container.path("volumeMounts").forEach(mount -> assertTrue(volumes.contains(mount.path("name").asText())));
    }

    /** BENCHMARKS.md "Memory": with these options 1M and 5M records peak at 470-495 MB RSS, within the request. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theJvmIsSizedToStayWithinThePodsMemoryRequest(String overlay) throws Exception {
        Rendered rendered = new Rendered(render(overlay));
        JsonNode resources = rendered.container().path("resources");
        long request = bytes(resources.path("requests").path("memory").asText());
        long limit = bytes(resources.path("limits").path("memory").asText());
        Map<String, String> config = rendered.config();

        long heap = limit * Long.parseLong(config.get("JAVA_MAX_MEM_RATIO")) / 100;
        // the measured ~230 MB outside the heap (metaspace, code, threads, buffers) fits the other half
        assertTrue(heap <= request / 2, "heap " + heap + " bytes must be at most half the memory request " + request);
        assertTrue(heap >= 256L << 20, "a 1M-record file needs a 256 MB heap, not " + heap);
        assertEquals(List.of("-XX:+UseParallelGC", "-Djdk.nio.maxCachedBufferSize=262144"),
                List.of(config.get("JAVA_OPTS_APPEND").split(" ")));
        assertEquals("2", config.get("MALLOC_ARENA_MAX"));
    }

    private static long bytes(String quantity) {
        return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(quantity))
                .longValueExact();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void leaderElectionUsesLeasesWithTheRightsItNeeds(String overlay) throws Exception {
        Rendered rendered = new Rendered(render(overlay));
        Map<String, String> config = rendered.config();
        assertEquals("kubernetes", config.get("ADM_CLUSTER"));
        JsonNode podLabels = rendered.deployment().path("spec").path("template").path("metadata").path("labels");
        for (String pair : config.get("ADM_LEADER_POD_SELECTOR").split(",")) {
            String[] parts = pair.split("=", 2);
            assertEquals(parts[1], podLabels.path(parts[0]).asText(), "the leader pod selector matches the bundle's pods");
        }

        String account = rendered.deployment().path("spec").path("template").path("spec").path("serviceAccountName").asText();
        assertTrue(rendered.names("ServiceAccount").contains(account));
        JsonNode binding = rendered.only("RoleBinding");
        JsonNode subject = binding.path("subjects").path(0);
        assertEquals(account, subject.path("name").asText());
        assertEquals(binding.path("metadata").path("namespace").asText(), subject.path("namespace").asText());
        JsonNode role = rendered.named("Role", binding.path("roleRef").path("name").asText());
        assertTrue(grants(role, "coordination.k8s.io", "leases").containsAll(List.of("get", "create", "update")));
        assertTrue(grants(role, "", "pods").contains("list"));

        // Service, disruption budget and network policy select the bundle's pods
        assertTrue(matches(rendered.only("Service").path("spec").path("selector"), podLabels));
        assertTrue(matches(rendered.only("PodDisruptionBudget").path("spec").path("selector").path("matchLabels"), podLabels));
        assertTrue(matches(rendered.only("NetworkPolicy").path("spec").path("podSelector").path("matchLabels"), podLabels));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theSecretIsATemplateWithPlaceholdersOnly(String overlay) throws Exception {
        JsonNode secret = new Rendered(render(overlay)).only("Secret");
        assertFalse(secret.has("data"), "no encoded values in the template");
        List<String> filled = new ArrayList<>();
        secret.path("stringData").fields().forEachRemaining(entry -> {
            if (!entry.getValue().asText().isEmpty()) {
                filled.add(entry.getKey());
            }
        });
        assertEquals(List.of(), filled, "secret values belong in an overlay's secrets.env (kept out of git) or a secret manager");
        assertTrue(secret.path("stringData").has("ADM_CLIENT_SECRET") && secret.path("stringData").has("WEBHOOK_SECRET"));
    }

    @Test
    void devRunsOneReplicaOnTheSandboxAndTheEmbeddedStore() throws Exception {
        Rendered dev = new Rendered(render("dev"));
        assertEquals(1, dev.deployment().path("spec").path("replicas").asInt());
        assertEquals("Recreate", dev.deployment().path("spec").path("strategy").path("type").asText(),
                "the embedded store has one writer");
        assertEquals("true", dev.config().get("ADM_SANDBOX"));
        assertFalse(dev.config().containsKey("QUARKUS_DATASOURCE_JDBC_URL"));
        JsonNode data = dev.volume("data");
        assertTrue(dev.names("PersistentVolumeClaim").contains(data.path("persistentVolumeClaim").path("claimName").asText()),
                "the embedded store's files survive restarts");
    }

    @Test
    void prodRunsTwoOrMoreReplicasOnPostgresqlAndRealAdm() throws Exception {
        Rendered prod = new Rendered(render("prod"));
        assertTrue(prod.deployment().path("spec").path("replicas").asInt() >= 2);
        assertEquals(0, prod.deployment().path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt(),
                "a rolling update keeps every replica serving webhooks until its successor is ready");
        assertTrue(prod.config().get("QUARKUS_DATASOURCE_JDBC_URL").startsWith("jdbc:postgresql://"));
        assertFalse("true".equalsIgnoreCase(prod.config().get("ADM_SANDBOX")));
        assertTrue(prod.only("PodDisruptionBudget").path("spec").has("maxUnavailable")
                || prod.only("PodDisruptionBudget").path("spec").has("minAvailable"));
    }

    @Test
    void theGrafanaDashboardChartsTheShippedMetrics() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(K8S.resolve("grafana/adm-connect.json")));
        Set<String> used = new TreeSet<>();
        Matcher metric = Pattern.compile("adm_[a-z_]+").matcher("");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                metric.reset(target.path("expr").asText());
                while (metric.find()) {
                    used.add(metric.group().replaceAll("_(bucket|sum|count)$", ""));
                }
            }
        }
        // the metrics the README documents (its "Metrics" section)
        String readme = Files.readString(Path.of("README.md"));
        String metricsSection = readme.substring(readme.indexOf("## Metrics"), readme.indexOf("\n## ", readme.indexOf("## Metrics") + 1));
        Set<String> documented = new TreeSet<>();
        metric.reset(metricsSection);
        while (metric.find()) {
            documented.add(metric.group());
        }
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(documented);
        assertEquals(Set.of(), unknown, "the dashboard charts only metrics the bundle publishes");
        assertTrue(used.containsAll(List.of("adm_records_received_total", "adm_records_rejected_total", "adm_members_uploaded_total",
                "adm_members_dead_lettered_total", "adm_batch_latency_seconds", "adm_upload_errors_total")), "charted: " + used);
        String all = dashboard.toString();
        assertTrue(all.contains("sum by (reason) (rate(adm_records_rejected_total") && all.contains("sum by (status) (rate(adm_upload_errors_total"),
                "rejections by reason and ADM errors by status");
    }

    // ---- rendering and schema validation ------------------------------------------------------

    private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

    private static synchronized List<JsonNode> render(String overlay) throws Exception {
        if (!RENDERED.containsKey(overlay)) {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
                    K8S.resolve("overlays").resolve(overlay).toString()).redirectErrorStream(false).start();
            byte[] out = kubectl.getInputStream().readAllBytes();
            String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, kubectl.exitValue(), "kubectl kustomize k8s/overlays/" + overlay + ": " + err);
            List<JsonNode> objects = new ArrayList<>();
            try (var documents = YAML.readValues(new YAMLFactory().createParser(out), JsonNode.class)) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    if (document != null && !document.isEmpty()) {
                        objects.add(document);
                    }
                }
            }
            RENDERED.put(overlay, objects);
        }
        return RENDERED.get(overlay);
    }

    /** The schema check of one object: null when the Kubernetes API would take it, else why not. */
    static String validate(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        // The served (group, version, kind)s: the operations of the generated API class of that group version.
        String api = APIS + (group.isEmpty() ? "Core" : Arrays.stream(group.replace(".k8s.io", "").split("\\."))
                .map(KubernetesManifestsTest::capitalize).collect(Collectors.joining())) + capitalize(version) + "Api";
        boolean namespaced;
        try {
            Class<?> apiClass = Class.forName(api);
            namespaced = hasMethod(apiClass, "createNamespaced" + kind);
            if (!namespaced && !hasMethod(apiClass, "create" + kind)) {
                return apiVersion + " serves no kind " + kind;
            }
        } catch (ClassNotFoundException e) {
            return "no API group version " + apiVersion + " in Kubernetes 1.32";
        }
        if (namespaced && object.path("metadata").path("namespace").asText().isEmpty()) {
            return "a namespaced object without a namespace";
        }
        try {
            Class<?> model = Class.forName(MODELS + capitalize(version) + kind);
            String json = JSON.writeValueAsString(object);
            Method validate = model.getMethod("validateJsonElement", JsonElement.class);
            validate.invoke(null, JsonParser.parseString(json));
            model.getMethod("fromJson", String.class).invoke(null, json); // types (ints, quantities, int-or-strings)
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause().getMessage();
        } catch (ReflectiveOperationException | IOException e) {
            return "cannot check: " + e;
        }
    }

    private static boolean hasMethod(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).anyMatch(method -> method.getName().equals(name));
    }

    private static String capitalize(String text) {
        return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    private static Set<String> grants(JsonNode role, String apiGroup, String resource) {
        Set<String> verbs = new HashSet<>();
        for (JsonNode rule : role.path("rules")) {
            if (contains(rule.path("apiGroups"), apiGroup) && contains(rule.path("resources"), resource)) {
                rule.path("verbs").forEach(verb -> verbs.add(verb.asText()));
            }
        }
        return verbs;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        boolean[] all = { true };
        selector.fields().forEachRemaining(entry -> all[0] &= entry.getValue().asText().equals(labels.path(entry.getKey()).asText()));
        return all[0];
    }

    private static Duration duration(String text) {
        Matcher value = Pattern.compile("(\\d+)(ms|s|m)?").matcher(text.trim());
        assertTrue(value.matches(), "a duration: " + text);
        long amount = Long.parseLong(value.group(1));
        return switch (value.group(2) == null ? "s" : value.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** One overlay's rendered objects, looked up the way the pod refers to them. */
    private record Rendered(List<JsonNode> objects) {

        List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(object -> kind.equals(object.path("kind").asText())).toList();
        }

        Set<String> names(String kind) {
            return ofKind(kind).stream().map(object -> object.path("metadata").path("name").asText()).collect(Collectors.toSet());
        }

        JsonNode only(String kind) {
            List<JsonNode> found = ofKind(kind);
            assertEquals(1, found.size(), "one " + kind);
            return found.get(0);
        }

        JsonNode named(String kind, String name) {
            return ofKind(kind).stream().filter(object -> name.equals(object.path("metadata").path("name").asText())).findFirst()
                    .orElseGet(() -> fail("no " + kind + " " + name));
        }

        JsonNode deployment() {
            return only("Deployment");
        }

        JsonNode container() {
            JsonNode containers = deployment().path("spec").path("template").path("spec").path("containers");
            assertEquals(1, containers.size());
            return containers.get(0);
        }

        /** A generated ConfigMap by its base name (kustomize appends a content hash). */
        JsonNode configMap(String baseName) {
            List<JsonNode> found = ofKind("ConfigMap").stream()
                    .filter(object -> object.path("metadata").path("name").asText().matches(Pattern.quote(baseName) + "(-[a-z0-9]{10})?"))
                    .toList();
            assertEquals(1, found.size(), "one ConfigMap " + baseName);
            return found.get(0);
        }

        Map<String, String> config() {
            Map<String, String> config = new TreeMap<>();
            configMap("adm-connect-config").path("data").fields().forEachRemaining(entry -> config.put(entry.getKey(), entry.getValue().asText()));
            return config;
        }

        JsonNode volume(String name) {
            for (JsonNode volume : deployment().path("spec").path("template").path("spec").path("volumes")) {
                if (name.equals(volume.path("name").asText())) {
                    return volume;
                }
            }
            return fail("no volume " + name);
        }

        String mountPathOfConfigMap(String baseName) {
            String configMap = configMap(baseName).path("metadata").path("name").asText();
            for (JsonNode volume : deployment().path("spec").path("template").path("spec").path("volumes")) {
                if (configMap.equals(volume.path("configMap").path("name").asText())) {
                    for (JsonNode mount : container().path("volumeMounts")) {
                        if (mount.path("name").asText().equals(volume.path("name").asText())) {
                            return mount.path("mountPath").asText();
                        }
                    }
                }
            }
            return fail("ConfigMap " + baseName + " is not mounted");
        }
    }
}
