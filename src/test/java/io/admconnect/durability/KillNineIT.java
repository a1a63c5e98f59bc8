package io.admconnect.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost on kill -9. The packaged bundle runs as a separate process against a
 * sandbox in another process; a feeder posts signed webhook batches and remembers what was acknowledged
 * (202) while the bundle is killed with SIGKILL at random moments and restarted. At the end the sandbox
 * must hold every acknowledged member; duplicates (batches in flight at a kill) are counted, not failed.
 */
class KillNineIT {

    private static final String SECRET = "kill-it-secret";
    private static final String DATA_SET = "crm_kill_test";
    private static final int KILLS = 4;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path work = Path.of("target", "kill-it");
    private BundleProcess sandbox;
    private BundleProcess bundle;

    @AfterEach
    void stopAll() throws Exception {
        if (bundle != null) {
            bundle.stop();
        }
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    @Test
    void embeddedStoreLosesNothingAcknowledged() throws Exception {
        run("embedded", Map.of());
    }

    @Test
    void postgresStoreLosesNothingAcknowledged() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists kill_it cascade");
            statement.execute("create schema kill_it");
        }
        run("postgres", Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=kill_it",
                "QUARKUS_DATASOURCE_USERNAME", "postgres"));
    }

    private void run(String store, Map<String, String> storeEnvironment) throws Exception {
        Path runDirectory = work.resolve(store);
        deleteRecursively(runDirectory);
        int sandboxPort = BundleProcess.freePort();
        sandbox = new BundleProcess("sandbox-" + store, sandboxPort, Map.of("ADM_SANDBOX", "true",
                "ADM_DATA_DIR", runDirectory.resolve("sandbox-data").toAbsolutePath().toString()), runDirectory);
        sandbox.start();

        Map<String, String> environment = new HashMap<>(storeEnvironment);
        String sandboxRoot = sandbox.baseUrl() + "/sandbox";
        environment.putAll(Map.of("ADM_API_URL", sandboxRoot, "ADM_AUTH_URL", sandboxRoot + "/auth/o2/token",
                "ADM_CLIENT_ID", "sandbox-client", "ADM_CLIENT_SECRET", "sandbox-secret",
                "ADM_REFRESH_TOKEN", "Atzr|sandbox-refresh-token", "ADM_MANAGER_ACCOUNT_ID", "kill-it-manager",
                "WEBHOOK_SECRET", SECRET, "WEBHOOK_DATA_SET", DATA_SET,
                "ADM_BATCH_MAX_MEMBERS", "100", "ADM_BATCH_MAX_WAIT", "300ms"));
        environment.put("ADM_DATA_DIR", runDirectory.resolve("bundle-data").toAbsolutePath().toString());
        bundle = new BundleProcess("bundle-" + store, BundleProcess.freePort(), environment, runDirectory);
        bundle.start();

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> feed(store, acknowledged, refused, feeding), "feeder");
        feeder.start();

        Random random = new Random(42);
        for (int kill = 0; kill < KILLS; kill++) {
            Thread.sleep(1_000 + random.nextInt(2_000));
            bundle.kill();
            Thread.sleep(300);
            bundle.start();
        }
        Thread.sleep(1_000);
        feeding.set(false);
        feeder.join();

        Map<String, Integer> delivered = awaitDelivered(acknowledged, Duration.ofSeconds(90));
        long lost = acknowledged.stream().filter(id -> !delivered.containsKey(id)).count();
        int duplicates = delivered.values().stream().mapToInt(times -> times - 1).sum();
        String report = String.format("store=%s kills=%d acknowledged=%d delivered=%d lost=%d duplicates=%d refusedWhileDown=%d",
                store, KILLS, acknowledged.size(), delivered.size(), lost, duplicates, refused.get());
        Files.writeString(work.resolve("report-" + store + ".txt"), report + System.lineSeparator());
        System.out.println("KillNineIT: " + report);

        assertTrue(acknowledged.size() > 500, "the feeder got enough through to make the test meaningful: " + report);
        assertEquals(0, lost, report);
        assertEquals(KILLS + 1, bundle.starts());
    }

    /** Posts batches of 20 records with unique ids; an id counts as acknowledged only on a 202. */
    private void feed(String store, Set<String> acknowledged, AtomicInteger refused, AtomicBoolean feeding) {
        int request = 0;
        while (feeding.get()) {
            request++;
            StringBuilder body = new StringBuilder("[");
            String[] ids = new String[20];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = store + "-" + request + "-" + i;
                body.append(i == 0 ? "" : ",").append("{\"externalUserId\":\"").append(ids[i]).append("\",\"email\":\"")
                        .append(ids[i]).append("@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}");
            }
            body.append(']');
            try {
                HttpResponse<String> response = BundleProcess.HTTP.send(HttpRequest.newBuilder(URI.create(bundle.baseUrl() + "/webhooks/crm"))
                        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                        .header("X-Signature-256", sign(body.toString()))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    acknowledged.addAll(java.util.List.of(ids));
                    sleep(10);
                } else {
                    refused.incrementAndGet();
                }
            } catch (Exception bundleDown) {
                refused.incrementAndGet();
                sleep(50);
            }
        }
    }

    private Map<String, Integer> awaitDelivered(Set<String> acknowledged, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Integer> delivered = Map.of();
        while (Instant.now().isBefore(deadline)) {
            delivered = sandboxMembers();
            if (delivered.keySet().containsAll(acknowledged)) {
                return delivered;
            }
            Thread.sleep(500);
        }
        return delivered;
    }

    private Map<String, Integer> sandboxMembers() throws Exception {
        HttpResponse<String> response = BundleProcess.HTTP.send(HttpRequest.newBuilder(
                URI.create(sandbox.baseUrl() + "/sandbox/_control/data-sets/" + DATA_SET + "/members?withMember=false")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Integer> members = new HashMap<>();
        if (response.statusCode() == 200) {
            for (JsonNode member : mapper.readTree(response.body()).path("members")) {
                members.put(member.path("externalUserId").asText(), member.path("timesAccepted").asInt());
            }
        }
        return members;
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path directory) throws Exception {
        if (Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
