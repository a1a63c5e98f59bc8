package io.admconnect.durability;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.admconnect.source.SftpServer;
import io.admconnect.source.WebhookSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No plaintext PII at rest or in logs: records full of unique canary values come in through every source
 * (the webhook, a CSV file on the SFTP drop, Contacts from a stub Salesforce) with every logger at DEBUG:
 * accepted, rejected, withdrawn, and refused by ADM into dead letters. Afterwards the bundle's log, the
 * embedded store's files or a {@code pg_dump} of the PostgreSQL store, the dead letters API, the webhook's
 * answer and /q/metrics are searched for any canary, and the log for the secrets. Hits must be 0.
 */
class PiiCanaryIT {

    private static final String SECRET = "whsec-canary-7d1f2a";
    private static final String ADMIN = "admin-canary-93be41";
    private static final String CLIENT_SECRET = "lwa-secret-canary-5c0e77";
    private static final String REFRESH_TOKEN = "Atzr|refresh-canary-a8d3f0";
    private static final String SF_CLIENT_SECRET = "sf-secret-canary-4b9e02";
    private static final String SF_REFRESH_TOKEN = "sf-refresh-canary-0c7a1d";
    private static final String SF_ACCESS_TOKEN = "sf-access-canary-e35b88";
    private static final String SFTP_DATA_SET = "crm_canary_sftp";
    private static final String SALESFORCE_DATA_SET = "crm_canary_salesforce";
    private static final String SCHEMA = "pii_canary";

    private final Path work = Path.of("target", "pii-canary");
    private final List<String> canaries = new ArrayList<>();
    private BundleProcess sandbox;
    private BundleProcess bundle;
    private SftpServer sftp;
    private WireMockServer salesforce;

    @AfterEach
    void stopAll() throws Exception {
        BundleProcess.stopAll(bundle, sandbox);
        if (sftp != null) {
            sftp.stop();
        }
        if (salesforce != null) {
            salesforce.stop();
        }
    }

    @Test
    void noCanaryInTheEmbeddedStoreOrAnywhereElse() throws Exception {
        Path run = work.resolve("embedded");
        List<String> hits = run(run, Map.of());
        try (Stream<Path> files = Files.walk(run.resolve("bundle-data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                search(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1), canaries, hits);
            }
        }
        assertEquals(List.of(), hits, "plaintext canaries or secrets found");
    }

    @Test
    void noCanaryInAPostgresDumpOrAnywhereElse() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + SCHEMA + " cascade");
            statement.execute("create schema " + SCHEMA);
        }
        List<String> hits = run(work.resolve("postgres"), Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA,
                "QUARKUS_DATASOURCE_USERNAME", "postgres"));
        Process dump = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--schema=" + SCHEMA, "test")
                .redirectErrorStream(true).start();
        String sql = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, dump.waitFor(), sql);
        assertTrue(sql.contains("member_chunk"), "the dump holds the store");
        search("pg_dump of " + SCHEMA, sql, canaries, hits);
        assertEquals(List.of(), hits, "plaintext canaries or secrets found");
    }

    /** Runs all three sources full of canaries into the bundle; returns the hits outside the store. */
    private List<String> run(Path run, Map<String, String> storeEnvironment) throws Exception {
        BundleProcess.deleteRecursively(run);
        sandbox = new BundleProcess("sandbox", BundleProcess.freePort(), Map.of("ADM_SANDBOX", "true",
                "SANDBOX_CLIENT_SECRET", CLIENT_SECRET, "SANDBOX_REFRESH_TOKEN", REFRESH_TOKEN,
                "ADM_DATA_DIR", run.resolve("sandbox-data").toAbsolutePath().toString()), run);
        sandbox.start();
        sftp = new SftpServer();
        Map<String, String> sftpSettings = new HashMap<>(sftp.start());
        sftpSettings.put("sftp.data-set", SFTP_DATA_SET);
        salesforce = new WireMockServer(options().dynamicPort());
        salesforce.start();

        String root = sandbox.baseUrl() + "/sandbox";
        Map<String, String> environment = new HashMap<>(storeEnvironment);
        environment.putAll(SftpServer.asEnvironment(sftpSettings));
        environment.putAll(Map.of("ADM_API_URL", root, "ADM_AUTH_URL", root + "/auth/o2/token",
                "ADM_CLIENT_ID", "sandbox-client", "ADM_CLIENT_SECRET", CLIENT_SECRET,
                "ADM_REFRESH_TOKEN", REFRESH_TOKEN, "ADM_MANAGER_ACCOUNT_ID", "canary-manager",
                "WEBHOOK_SECRET", SECRET, "WEBHOOK_DATA_SET", "crm_canary", "ADMIN_TOKEN", ADMIN,
                "ADM_BATCH_MAX_WAIT", "300ms"));
        environment.putAll(Map.of("SALESFORCE_LOGIN_URL", salesforce.baseUrl(), "SALESFORCE_CLIENT_ID", "sf-client",
                "SALESFORCE_CLIENT_SECRET", SF_CLIENT_SECRET, "SALESFORCE_REFRESH_TOKEN", SF_REFRESH_TOKEN,
                "SALESFORCE_DATA_SET", SALESFORCE_DATA_SET, "SALESFORCE_POLL_INTERVAL", "1h"));
        environment.put("ADM_DATA_DIR", run.resolve("bundle-data").toAbsolutePath().toString());
        environment.put("QUARKUS_LOG_LEVEL", "DEBUG");
        environment.put("QUARKUS_LOG_MIN_LEVEL", "DEBUG");
        bundle = new BundleProcess("bundle", BundleProcess.freePort(), environment, run);

        Set<String> salesforceIds = stubSalesforce();
        Set<String> sftpIds = dropCsv(sftp.root().resolve(SftpServer.DIRECTORY));
        // ADM refuses two webhook members: they become dead letters.
        bundle.start();
        post(sandbox.baseUrl() + "/sandbox/_control/rejections", "{\"externalUserIds\":[\"canary-1\",\"canary-2\"]}", Map.of());
        String body = webhookBody();
        HttpResponse<String> answer = post(bundle.baseUrl() + "/webhooks/crm", body, Map.of("X-Signature-256", WebhookSignatures.sign(body, SECRET)));
        assertEquals(202, answer.statusCode(), answer.body());

        String deadLetters = awaitDeadLetters(2);
        assertTrue(sandbox.awaitSandboxMembers(SFTP_DATA_SET, sftpIds, Duration.ofSeconds(60)).keySet().containsAll(sftpIds),
                "the SFTP file's members reached ADM");
        assertTrue(sandbox.awaitSandboxMembers(SALESFORCE_DATA_SET, salesforceIds, Duration.ofSeconds(60)).keySet().containsAll(salesforceIds),
                "the Salesforce members reached ADM");
        String metrics = get(bundle.baseUrl() + "/q/metrics", Map.of());
        bundle.stop();

        List<String> hits = new ArrayList<>();
        search("webhook answer", answer.body(), canaries, hits);
        search("dead letters API", deadLetters, canaries, hits);
        search("/q/metrics", metrics, canaries, hits);
        String log = Files.readString(run.resolve("bundle.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("DEBUG"), "the bundle ran with DEBUG logging");
        search("bundle log", log, canaries, hits);
        // Secrets never reach the log either (nor the access tokens LWA and Salesforce issued).
        search("bundle log", log, List.of(SECRET, ADMIN, CLIENT_SECRET, REFRESH_TOKEN, "Atza|sandbox-",
                SF_CLIENT_SECRET, SF_REFRESH_TOKEN, SF_ACCESS_TOKEN, SftpServer.PASSWORD), hits);
        return hits;
    }

    private String canary() {
        String tag = "cnry" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        canaries.add(tag);
        return tag;
    }

    /** 30 canary records, one without consent, and one with an invalid email (rejected). */
    private String webhookBody() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            String tag = canary();
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
        return body.append(",{\"externalUserId\":\"canary-bad\",\"email\":\"").append(canary()).append("bad-at-example.com\"}]").toString();
    }

    /** A CSV file of 20 canary rows, one withdrawn (remove) and one with an invalid email; returns the valid ids. */
    private Set<String> dropCsv(Path inbox) throws IOException {
        Set<String> ids = new HashSet<>();
        StringBuilder csv = new StringBuilder("externalUserId,email,firstName,lastName,address,city,state,postalCode,action,consent.userData\n");
        for (int row = 0; row < 20; row++) {
            String tag = canary();
            String id = "sftp-canary-" + row;
            String email = row == 19 ? tag + "-at-example.com" : tag + "@example.com";
            if (row != 19) {
                ids.add(id);
            }
            csv.append(id).append(',').append(email).append(',').append(tag).append("First,").append(tag).append("Last,\"")
                    .append(row).append(' ').append(tag).append(" Street\",").append(tag).append("City,TX,75236,")
                    .append(row == 18 ? "remove" : "add").append(",GRANTED\n");
        }
        Files.writeString(inbox.resolve("canaries.csv.part"), csv);
        Files.move(inbox.resolve("canaries.csv.part"), inbox.resolve("canaries.csv"));
        return ids;
    }

    /** Salesforce answers 10 canary Contacts: one with consent withdrawn, one deleted; returns their ids. */
    private Set<String> stubSalesforce() {
        salesforce.stubFor(WireMock.post("/services/oauth2/token").willReturn(okJson("{\"access_token\":\"" + SF_ACCESS_TOKEN
                + "\",\"instance_url\":\"" + salesforce.baseUrl() + "\",\"id\":\"" + salesforce.baseUrl()
                + "/id/00D000000000001AAA/005000000000001AAA\",\"token_type\":\"Bearer\",\"issued_at\":\"1700000000000\",\"signature\":\"c2ln\"}")));
        Set<String> ids = new HashSet<>();
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String tag = canary();
            String id = "003CANARY" + i;
            ids.add(id);
            records.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Contact\"},\"Id\":\"").append(id)
                    .append("\",\"IsDeleted\":").append(i == 9).append(",\"SystemModstamp\":\"2026-11-20T10:00:0").append(i)
                    .append(".000+0000\",\"Email\":\"").append(tag).append("@example.com\",\"Phone\":null,\"MobilePhone\":\"+1 405 555 02")
                    .append(10 + i).append("\",\"FirstName\":\"").append(tag).append("First\",\"LastName\":\"").append(tag)
                    .append("Last\",\"MailingStreet\":\"1 ").append(tag).append(" Way\",\"MailingCity\":\"").append(tag)
                    .append("City\",\"MailingState\":\"Texas\",\"MailingPostalCode\":\"75236\",\"MailingCountryCode\":\"US\",")
                    .append("\"Ads_Consent__c\":").append(i != 8).append('}');
        }
        salesforce.stubFor(WireMock.get(urlPathMatching("/services/data/v[0-9.]+/queryAll/?"))
                .willReturn(okJson("{\"totalSize\":10,\"done\":true,\"records\":[" + records + "]}")));
        return ids;
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
