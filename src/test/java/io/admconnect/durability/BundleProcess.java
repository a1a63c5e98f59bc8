package io.admconnect.durability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.source.WebhookSignatures;

/** The packaged bundle ({@code target/quarkus-app}) run as a separate process, as ops run it. */
public final class BundleProcess {

    /** The packaged bundle of this build ({@code -Dbundle.jar=} for another). */
    public static final String DEFAULT_JAR = System.getProperty("bundle.jar", "target/quarkus-app/quarkus-run.jar");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> environment;
    private final Path logDirectory;
    private final int port;
    private final List<String> jvmOptions;
    private final String jar;
    private Process process;
    private int starts;

    public BundleProcess(String name, int port, Map<String, String> environment, Path logDirectory) {
        this(name, port, environment, logDirectory, List.of("-Xmx512m"));
    }

    public BundleProcess(String name, int port, Map<String, String> environment, Path logDirectory, List<String> jvmOptions) {
        this(name, port, environment, logDirectory, jvmOptions, DEFAULT_JAR);
    }

    /** {@code jar}: the {@code quarkus-run.jar} to start, e.g. another build's for a before/after comparison. */
    public BundleProcess(String name, int port, Map<String, String> environment, Path logDirectory, List<String> jvmOptions, String jar) {
        this.name = name;
        this.port = port;
        this.environment = environment;
        this.logDirectory = logDirectory;
        this.jvmOptions = jvmOptions;
        this.jar = jar;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process and waits until its readiness check is UP. */
    public void start() throws Exception {
        Files.createDirectories(logDirectory);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDirectory.resolve(name + ".log").toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        process = builder.start();
        starts++;
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logDirectory.resolve(name + ".log"));
            }
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not become ready within 60 s");
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Stops every process that was started (null ones are skipped): the tests' teardown. */
    public static void stopAll(BundleProcess... processes) throws InterruptedException {
        for (BundleProcess process : processes) {
            if (process != null) {
                process.stop();
            }
        }
    }

    int starts() {
        return starts;
    }

    /** The running process's id (to read its CPU time and memory from /proc). */
    public long pid() {
        return process.pid();
    }

    // ---- the webhook and the sandbox, as the durability tests use them -----------------------------

    /**
     * Posts 20 signed canonical records with the given id prefix ({@code <prefix>-0} ...); returns their ids
     * when the bundle acknowledged them (202), else an empty list. Throws when the bundle is down.
     */
    List<String> postWebhook(String secret, String idPrefix) throws Exception {
        List<String> ids = new ArrayList<>();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            String id = idPrefix + "-" + i;
            ids.add(id);
            body.append(i == 0 ? "" : ",").append("{\"externalUserId\":\"").append(id).append("\",\"email\":\"").append(id)
                    .append("@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}");
        }
        body.append(']');
        String signature = WebhookSignatures.sign(body.toString(), secret);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/webhooks/crm"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json").header("X-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 202 ? ids : List.of();
    }

    /** This process being the sandbox: every member of the data set it accepted, by external id, with how often. */
    Map<String, Integer> sandboxMembers(String dataSet) throws Exception {
        Map<String, Integer> members = new HashMap<>();
        for (JsonNode member : acceptedMembers(dataSet)) {
            members.put(member.path("externalUserId").asText(), member.path("timesAccepted").asInt());
        }
        return members;
    }

    /**
     * What the sandbox recorded of each member of the data set it accepted ({@code externalUserId},
     * {@code timesAccepted}, {@code acceptedAt}); none when it holds no such data set.
     */
    public JsonNode acceptedMembers(String dataSet) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(baseUrl() + "/sandbox/_control/data-sets/" + dataSet + "/members?withMember=false")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? MAPPER.readTree(response.body()).path("members") : MAPPER.createArrayNode();
    }

    /** The sandbox's members once it holds every expected one, or what it holds when the time is up. */
    Map<String, Integer> awaitSandboxMembers(String dataSet, Set<String> expected, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Integer> delivered = Map.of();
        while (Instant.now().isBefore(deadline)) {
            delivered = sandboxMembers(dataSet);
            if (delivered.keySet().containsAll(expected)) {
                return delivered;
            }
            Thread.sleep(500);
        }
        return delivered;
    }

    public static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
