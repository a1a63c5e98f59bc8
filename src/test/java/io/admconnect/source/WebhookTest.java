package io.admconnect.source;

import static io.admconnect.source.WebhookSignatures.sign;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.admconnect.batching.MemberStore;
import io.admconnect.normalize.IdentityField;
import io.admconnect.normalize.IdentityNormalizer;
import io.admconnect.sandbox.AdmSandbox;
import io.admconnect.store.StoreDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The shipped webhook route over real HTTP, followed into the ADM sandbox; replays of accepted bodies, on the
 * shipped route and on a Kamelet route with a 2 s window ({@code test-routes/replay-webhook.yaml}).
 */
@QuarkusTest
class WebhookTest {

    private static final String SECRET = "test-webhook-secret";
    private static final String DATA_SET = "crm_webhook_test";

    /** The Kamelet route of {@code test-routes/replay-webhook.yaml}: same secret and data set, a 2 s replay window. */
    private static final String SHORT_WINDOW_PATH = "/webhooks/replay-test";
    private static final Duration SHORT_WINDOW = Duration.ofSeconds(2);
    private static final List<String> SOURCES = List.of("webhook", "replay-webhook");

    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    AdmSandbox sandbox;

    @Inject
    MeterRegistry registry;

    @Inject
    MemberStore store;

    @Inject
    StoreDataSource dataSource;

    @Inject
    WebhookReplays replays;

    private static ValidatableResponse post(String body) {
        return post("/webhooks/crm", body);
    }

    private static ValidatableResponse post(String path, String body) {
        return given().contentType("application/json").header("X-Signature-256", sign(body, SECRET)).body(body)
                .post(path).then();
    }

    private AdmSandbox.StoredMember stored(String externalUserId) {
        AdmSandbox.DataSet set = sandbox.dataSet(DATA_SET);
        return set == null ? null : set.members().get(externalUserId);
    }

    @Test
    void signedRecordsAreAcceptedAndReachAdmHashed() {
        String body = "[{\"externalUserId\":\"wh-1\",\"email\":\" A.B+tag@Example.com \",\"phone\":\"(571) 412-0599\","
                + "\"consent\":{\"userData\":\"GRANTED\",\"adStorage\":\"yes\"}},"
                + "{\"externalUserId\":\"wh-2\",\"email\":\"noconsent@example.com\"},"
                + "{\"externalUserId\":\"wh 3\",\"email\":\"x@example.com\",\"consent\":{\"userData\":\"GRANTED\"}},"
                + "42,"
                + "{\"externalUserId\":\"wh-5\",\"email\":\"leaving@example.com\",\"consent\":{\"userData\":\"DENIED\"}}]";

        post(body).statusCode(202)
                .body("trackingId", matchesPattern("[0-9a-f-]{36}"))
                .body("accepted", equalTo(2))
                .body("rejected.index", equalTo(List.of(1, 2, 3)))
                .body("rejected.reason", equalTo(List.of("no_consent", "invalid_external_user_id", "malformed_record")));

        await().atMost(Duration.ofSeconds(20)).until(() -> stored("wh-1") != null && stored("wh-5") != null);
        String emailHash = IdentityNormalizer.amazon().hash(IdentityField.EMAIL, "a.btag@example.com", "US");
        assertEquals("{\"action\":\"CREATE\",\"externalUserId\":\"wh-1\",\"userIdentity\":{\"hashedPiis\":[{\"em\":\"" + emailHash
                + "\",\"ph\":\"" + IdentityNormalizer.amazon().hash(IdentityField.PHONE, "15714120599", "US") + "\"}]},"
                + "\"userConsent\":{\"geo\":{\"countryCode\":\"US\"},\"consent\":{\"amzn\":{\"amznAdStorage\":\"GRANTED\","
                + "\"amznUserData\":\"GRANTED\"}}}}", stored("wh-1").member().toString());
        assertEquals("DELETE", stored("wh-5").action());
        assertEquals("GRANTED", stored("wh-5").member().path("userConsent").path("consent").path("amzn").path("amznUserData").asText());
    }

    @Test
    void theRecordsEnvelopeAndASingleObjectAreAccepted() {
        post("{\"records\":[{\"externalUserId\":\"wh-env\",\"email\":\"env@example.com\",\"consent.userData\":\"GRANTED\"}]}")
                .statusCode(202).body("accepted", equalTo(1));
        post("{\"externalUserId\":\"wh-single\",\"email\":\"single@example.com\",\"consent\":{\"tcf\":\"CPXxRfAPXxRfA\"}}")
                .statusCode(202).body("accepted", equalTo(1)).body("rejected.size()", equalTo(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("wh-env") != null && stored("wh-single") != null);
    }

    @Test
    void unsignedOrWronglySignedRequestsAre401() {
        String body = "{\"externalUserId\":\"wh-x\",\"email\":\"x@example.com\",\"consent.userData\":\"GRANTED\"}";
        given().contentType("application/json").body(body).post("/webhooks/crm").then().statusCode(401)
                .body("message", equalTo("Missing X-Signature-256 header"));
        given().contentType("application/json").header("X-Signature-256", sign(body, "another-secret")).body(body)
                .post("/webhooks/crm").then().statusCode(401);
        given().contentType("application/json").header("X-Signature-256", sign(body + " ", SECRET)).body(body)
                .post("/webhooks/crm").then().statusCode(401);
        assertEquals(null, stored("wh-x"));
    }

    @Test
    void bodiesThatAreNotRecordsAre400() {
        post("not json").statusCode(400);
        post("42").statusCode(400);
        post("\"text\"").statusCode(400);
        post("[".repeat(100) + "]".repeat(100)).statusCode(400);
        String body = "{\"externalUserId\":\"wh-form\"}";
        given().contentType("application/x-www-form-urlencoded").header("X-Signature-256", sign(body, SECRET)).body(body)
                .post("/webhooks/crm").then().statusCode(400).body("message", containsString("application/json"));
    }

    @Test
    void answersNeverEchoSubmittedValues() {
        post("[{\"externalUserId\":\"canary-7f3a\",\"email\":\"canary-7f3a@example.com\"}]").statusCode(202)
                .body(not(containsString("canary")));
    }

    @Test
    void onlyPostIsServed() {
        given().get("/webhooks/crm").then().statusCode(405);
    }

    @Test
    void bodiesOverTenMegabytesAre413() throws Exception {
        byte[] huge = new byte[10 * 1024 * 1024 + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/webhooks/crm"))
                .expectContinue(true).header("Content-Type", "application/json").header("X-Signature-256", "sha256=00")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
    }

    // ------------------------------------------------------------------------------------------ replays

    @Test
    void aReplayGetsTheFirstAnswerAgainAndNothingIsCountedOrStoredTwice() throws Exception {
        String body = "[{\"externalUserId\":\"rp-1\",\"email\":\"replay.one@example.com\",\"consent\":{\"userData\":\"GRANTED\"}},"
                + "{\"externalUserId\":\"rp-2\",\"phone\":\"+1 206 555 0100\",\"consent\":{\"userData\":\"DENIED\"}},"
                + "{\"externalUserId\":\"rp-3\",\"email\":\"replay.three@example.com\"}]";
        Counts before = settledCounts();

        JsonNode first = json(post(body).statusCode(202).extract().asString());
        JsonNode second = json(post(body).statusCode(200).extract().asString());

        assertEquals(json("{\"trackingId\":\"" + first.path("trackingId").asText() + "\",\"accepted\":2,"
                + "\"rejected\":[{\"index\":2,\"reason\":\"no_consent\"}]}"), first);
        assertEquals(((ObjectNode) first.deepCopy()).put("replay", true), second, "the first answer, marked as a replay");
        Counts after = settledCounts();
        assertEquals(3, after.received() - before.received(), "the replay is not counted as received");
        assertEquals(1, after.rejected() - before.rejected());
        assertEquals(1, replaysCounted("webhook") - before.replays());
        assertEquals(after.received() - before.received(), (after.rejected() - before.rejected())
                + (after.delivered() - before.delivered()), "received = rejected + uploaded + dead-lettered + in flight");
        assertEquals(1, stored("rp-1").timesAccepted(), "uploaded once");
        assertEquals(1, stored("rp-2").timesAccepted(), "uploaded once");
        // The store keeps the body's digest and the answer (no values), not the body.
        assertEquals(List.of("webhook|" + first), requestRows(SftpSourceTest.sha256(body)));
    }

    @Test
    void afterItsWindowTheSameBodyIsNewAndEachSourceHasItsOwnWindow() throws Exception {
        String body = "{\"externalUserId\":\"rp-window\",\"email\":\"window@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}";
        Counts before = settledCounts();

        String firstId = post(SHORT_WINDOW_PATH, body).statusCode(202).extract().path("trackingId");
        Instant firstAccepted = Instant.now();
        post(SHORT_WINDOW_PATH, body).statusCode(200).body("trackingId", equalTo(firstId)).body("replay", equalTo(true));
        // Another source: the same body is not a replay there.
        post(body).statusCode(202).body("trackingId", not(equalTo(firstId)));
        Thread.sleep(Duration.between(Instant.now(), firstAccepted.plus(SHORT_WINDOW)).toMillis() + 100);
        post(SHORT_WINDOW_PATH, body).statusCode(202).body("trackingId", not(equalTo(firstId))).body("replay", nullValue());

        Counts after = settledCounts();
        assertEquals(3, after.received() - before.received());
        assertEquals(3, after.delivered() - before.delivered(), "stored and uploaded three times");
        assertEquals(1, replaysCounted("replay-webhook") - before.shortWindowReplays());
        assertEquals(3, stored("rp-window").timesAccepted());
        // Purging forgets what is past its window: the short one here, not the shipped route's 24 h.
        assertEquals(2, requestRows(SftpSourceTest.sha256(body)).size());
        assertEquals(1, replays.purge(Instant.now().plus(SHORT_WINDOW).plusSeconds(1)));
        assertEquals(List.of("webhook"), requestRows(SftpSourceTest.sha256(body)).stream().map(row -> row.substring(0, row.indexOf('|'))).toList());
    }

    @Test
    void ofIdenticalRequestsAtOnceOneIsStoredAndTheOthersAreItsReplays() throws Exception {
        String body = "[{\"externalUserId\":\"rp-race\",\"email\":\"race@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}]";
        Counts before = settledCounts();
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/webhooks/crm"))
                    .header("Content-Type", "application/json").header("X-Signature-256", sign(body, SECRET))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            for (int i = 0; i < 6; i++) {
                answers.add(threads.submit((Callable<HttpResponse<String>>) () -> client.send(request, HttpResponse.BodyHandlers.ofString())));
            }
            List<Integer> statuses = new ArrayList<>();
            List<String> trackingIds = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                statuses.add(answer.get().statusCode());
                trackingIds.add(json(answer.get().body()).path("trackingId").asText());
            }
            statuses.sort(null);
            assertEquals(List.of(200, 200, 200, 200, 200, 202), statuses);
            assertEquals(1, trackingIds.stream().distinct().count(), "every answer names the one stored request");
        } finally {
            threads.shutdownNow();
        }
        Counts after = settledCounts();
        assertEquals(1, after.received() - before.received());
        assertEquals(1, after.delivered() - before.delivered());
        assertEquals(1, stored("rp-race").timesAccepted());
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The webhook sources' counters and what became of their data set's members, once nothing is in flight. */
    private record Counts(double received, double rejected, double delivered, double replays, double shortWindowReplays) {
    }

    private Counts settledCounts() {
        await().atMost(Duration.ofSeconds(20)).until(() -> store.membersInFlight(DATA_SET) == 0);
        double received = 0;
        double rejected = 0;
        for (String source : SOURCES) {
            received += sum(Search.in(registry).name("adm.records.received").tag("source", source));
            rejected += sum(Search.in(registry).name("adm.records.rejected").tag("source", source));
        }
        double delivered = sum(Search.in(registry).name("adm.members.uploaded").tag("data_set", DATA_SET))
                + sum(Search.in(registry).name("adm.members.dead_lettered").tag("data_set", DATA_SET));
        return new Counts(received, rejected, delivered, replaysCounted("webhook"), replaysCounted("replay-webhook"));
    }

    private double replaysCounted(String source) {
        return sum(Search.in(registry).name("adm.webhook.replays").tag("source", source));
    }

    private static double sum(Search search) {
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The store's rows for a body digest, as "source|answer". */
    private List<String> requestRows(String bodySha256) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.transaction();
                PreparedStatement select = connection.prepareStatement(
                        "select source, answer from webhook_request where body_sha256 = ? order by source")) {
            select.setString(1, bodySha256);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1) + "|" + json(row.getString(2)));
                }
            }
            connection.commit();
        }
        return rows;
    }

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }
}
