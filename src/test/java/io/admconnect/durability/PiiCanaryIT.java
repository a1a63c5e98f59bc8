package io.admconnect.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No plaintext PII at rest or in logs: records full of unique canary values go through the webhook with
 * every logger at DEBUG (accepted, rejected, and refused by ADM into dead letters); afterwards the logs,
 * the store's files, the dead letters API and /q/metrics are searched for any canary, and the log for
 * the secrets. Hits must be 0.
 */
class PiiCanaryIT {

    private static final String SECRET = "whsec-canary-7d1f2a";
    private static final String ADMIN = "admin-canary-93be41";
    private static final String CLIENT_SECRET = "lwa-secret-canary-5c0e77";
    private static final String REFRESH_TOKEN = "Atzr|refresh-canary-a8d3f0";
    private final Path work = Path.of("target", "pii-canary");
    private BundleProcess sandbox;
    private BundleProcess bundle;

    @AfterEach
    void stopAll() throws Exception {
        BundleProcess.stopAll(bundle, sandbox);
    }

    @Test
    void noCanaryAppearsAnywhere() throws Exception {
        BundleProcess.deleteRecursively(work);
        sandbox = new BundleProcess("sandbox", BundleProcess.freePort(), Map.of("ADM_SANDBOX", "true",
                "SANDBOX_CLIENT_SECRET", CLIENT_SECRET, "SANDBOX_REFRESH_TOKEN", REFRESH_TOKEN,
                "ADM_DATA_DIR", work.resolve("sandbox-data").toAbsolutePath().toString()), work);
        sandbox.start();
        String root = sandbox.baseUrl() + "/sandbox";
        Map<String, String> environment = new HashMap<>(Map.of("ADM_API_URL", root, "ADM_AUTH_URL", root + "/auth/o2/token",
                "ADM_CLIENT_ID", "sandbox-client", "ADM_CLIENT_SECRET", CLIENT_SECRET,
                "ADM_REFRESH_TOKEN", REFRESH_TOKEN, "ADM_MANAGER_ACCOUNT_ID", "canary-manager",
                "WEBHOOK_SECRET", SECRET, "WEBHOOK_DATA_SET", "crm_canary", "ADMIN_TOKEN", ADMIN,
                "ADM_BATCH_MAX_WAIT", "300ms"));
        environment.put("ADM_DATA_DIR", work.resolve("bundle-data").toAbsolutePath().toString());
        environment.put("QUARKUS_LOG_LEVEL", "DEBUG");
        environment.put("QUARKUS_LOG_MIN_LEVEL", "DEBUG");
        bundle = new BundleProcess("bundle", BundleProcess.freePort(), environment, work);
        bundle.start();

        List<String> canaries = new ArrayList<>();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            String tag = "cnry" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            canaries.add(tag);
            // Consent strings (TCF/GPP) and the IP address go to ADM as they are (Amazon's schema): not canaried.
            String consent = i % 10 == 9 ? "" : ",\"consent\":{\"userData\":\"GRANTED\",\"tcf\":\"CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA\"}";
            body.append(i == 0 ? "" : ",").append("{\"externalUserId\":\"canary-").append(i).append("\",")
                    .append("\"email\":\"").append(tag).append("@example.com\",")
                    .append("\"phone\":\"+1 405 555 ").append(String.format("%04d", 1000 + i)).append("\",")
                    .append("\"firstName\":\"").append(tag).append("First\",\"lastName\":\"").append(tag).append("Last\",")
                    .append("\"address\":\"").append(i).append(" ").append(tag).append(" Street\",\"city\":\"").append(tag).append("City\",")
                    .append("\"state\":\"").append(tag).append("State\",\"postalCode\":\"75236\",\"ipAddress\":\"203.0.113.9\"")
                    .append(consent).append('}');
        }
        body.append(",{\"externalUserId\":\"canary-bad\",\"email\":\"").append(canaries.get(0)).append("bad-at-example.com\"}]");
        // ADM refuses two members: they become dead letters.
        post(sandbox.baseUrl() + "/sandbox/_control/rejections", "{\"externalUserIds\":[\"canary-1\",\"canary-2\"]}", Map.of());
        HttpResponse<String> answer = post(bundle.baseUrl() + "/webhooks/crm", body.toString(), Map.of("X-Signature-256", BundleProcess.sign(SECRET, body.toString())));
        assertEquals(202, answer.statusCode(), answer.body());

        String deadLetters = awaitDeadLetters(2);
        String metrics = get(bundle.baseUrl() + "/q/metrics", Map.of());
        bundle.stop();

        List<String> hits = new ArrayList<>();
        search("webhook answer", answer.body(), canaries, hits);
        search("dead letters API", deadLetters, canaries, hits);
        search("/q/metrics", metrics, canaries, hits);
        try (Stream<Path> files = Files.walk(work.resolve("bundle-data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                search(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1), canaries, hits);
            }
        }
        String log = Files.readString(work.resolve("bundle.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("DEBUG"), "the bundle ran with DEBUG logging");
        search("bundle log", log, canaries, hits);

        // Secrets never reach the log either (nor the access tokens LWA issued).
        search("bundle log", log, List.of(SECRET, ADMIN, CLIENT_SECRET, REFRESH_TOKEN, "Atza|sandbox-"), hits);

        assertEquals(List.of(), hits, "plaintext canaries or secrets found");
    }

    private String awaitDeadLetters(int expected) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        String page = "";
        while (Instant.now().isBefore(deadline)) {
            page = get(bundle.baseUrl() + "/admin/dead-letters", Map.of("Authorization", "Bearer " + ADMIN));
            if (page.contains("\"total\":" + expected)) {
                return page;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("dead letters did not arrive: " + page);
    }

    private static void search(String where, String text, List<String> canaries, List<String> hits) {
        String lower = text.toLowerCase();
        for (String canary : canaries) {
            if (lower.contains(canary.toLowerCase())) {
                hits.add(where + " contains " + canary);
            }
        }
    }

    private static HttpResponse<String> post(String url, String body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return BundleProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return BundleProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

}
