package io.admconnect.batching;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.adm.AdmMember;
import io.admconnect.sandbox.AdmSandbox;
import io.admconnect.sandbox.SandboxFault;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable batching and delivery against the sandbox's faults: every valid member delivered once, every
 * refused one dead-lettered with its reason and replayable, nothing lost. Runs on the embedded store;
 * {@link DeliveryPostgresTest} runs the same on PostgreSQL.
 */
@QuarkusTest
class DeliveryTest {

    private static final String ADMIN = "Bearer test-admin-token";

    @Inject
    MemberStore store;

    @Inject
    AdmSandbox sandbox;

    @Inject
    CamelContext camel;

    @Inject
    ProducerTemplate template;

    @Inject
    MeterRegistry registry;

    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        sandbox.clearFaults();
    }

    @AfterEach
    void clearFaults() {
        sandbox.clearFaults();
        sandbox.setRefreshTokenRevoked(false);
    }

    static List<AdmMember> members(String prefix, int count, String action) {
        List<AdmMember> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(new AdmMember(action, prefix + "-" + i,
                    new AdmMember.UserIdentity(List.of(new AdmMember.HashedPii(sha256(prefix + i), null, null, null, null, null, null, null))),
                    new AdmMember.UserConsent(new AdmMember.Geo("US", null),
                            new AdmMember.Consent(new AdmMember.AmznConsent("GRANTED", "GRANTED"), null, null))));
        }
        return members;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long accepted(String dataSet) {
        AdmSandbox.DataSet set = sandbox.dataSet(dataSet);
        return set == null ? 0 : set.acceptedCount();
    }

    private JsonNode deadLetters(String dataSet) throws Exception {
        Response response = given().header("Authorization", ADMIN).queryParam("dataSet", dataSet).queryParam("limit", 1000)
                .get("/admin/dead-letters");
        response.then().statusCode(200);
        return mapper.readTree(response.asString());
    }

    private int replay(String dataSet) {
        return given().header("Authorization", ADMIN).contentType("application/json").body("{\"dataSet\":\"" + dataSet + "\"}")
                .post("/admin/dead-letters/replay").then().statusCode(200).extract().path("replayed");
    }

    private void assertEachAcceptedOnce(String dataSet, int expected) {
        Map<String, AdmSandbox.StoredMember> members = sandbox.dataSet(dataSet).members();
        assertEquals(expected, members.size());
        members.forEach((id, member) -> assertEquals(1, member.timesAccepted(), id + " was uploaded more than once"));
    }

    @Test
    void everyStoredMemberIsUploadedOnceBatchedByDataSetAndAction() throws Exception {
        List<AdmMember> creates = members("basic-c", 1200, AdmMember.CREATE);
        List<AdmMember> deletes = members("basic-d", 300, AdmMember.DELETE);
        for (int from = 0; from < 1200; from += 100) {
            store.append("dlv_basic", "test", creates.subList(from, from + 100));
        }
        store.append("dlv_basic", "test", deletes);

        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_basic") == 1500);
        assertEachAcceptedOnce("dlv_basic", 1500);
        AdmSandbox.DataSet set = sandbox.dataSet("dlv_basic");
        assertEquals(mapper.readTree(mapper.writeValueAsString(creates.get(7))), set.members().get("basic-c-7").member());
        assertEquals("DELETE", set.members().get("basic-d-0").action());
        assertTrue(set.uploadCount() >= 2 && set.uploadCount() <= 4, "batched, by action: " + set.uploadCount() + " uploads");
    }

    @Test
    void batchesRespectTheMemberLimitAndTakeTheOldestFirst() throws Exception {
        camel.getRouteController().stopRoute("adm-batcher");
        List<MemberBatch> claimed = new ArrayList<>();
        try {
            List<AdmMember> members = members("limit", 1050, AdmMember.CREATE);
            for (int from = 0; from < 1050; from += 150) {
                store.append("dlv_limit", "test", members.subList(from, from + 150));
            }
            BatchLimits limits = new BatchLimits(400, BatchLimits.MAX_BYTES, Duration.ofHours(1));

            List<MemberBatch> batches = store.claim(limits, 10, Instant.now());
            claimed.addAll(batches);

            // 1050 members in chunks of 150: full batches hold 2 chunks (300 <= 400 < 450); the rest (150) is not due yet.
            assertEquals(List.of(300, 300, 300), batches.stream().map(MemberBatch::memberCount).toList());
            JsonNode first = mapper.readTree(batches.get(0).uploadBody());
            assertEquals("limit-0", first.path("members").get(0).path("externalUserId").asText());
            assertEquals(300, first.path("members").size());
            assertEquals(List.of(), store.claim(limits, 10, Instant.now()), "nothing else is due");
            BatchLimits shortWait = new BatchLimits(400, BatchLimits.MAX_BYTES, Duration.ofMillis(1));
            List<MemberBatch> rest = store.claim(shortWait, 10, Instant.now());
            claimed.addAll(rest);
            assertEquals(List.of(150), rest.stream().map(MemberBatch::memberCount).toList(),
                    "the rest is due once its oldest member waited maxWait");
        } finally {
            // hand the test's claims back, as a failed upload would
            claimed.forEach(batch -> store.retryLater(batch, Instant.now(), null, false));
            camel.getRouteController().startRoute("adm-batcher");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_limit") == 1050);
        assertEachAcceptedOnce("dlv_limit", 1050);
    }

    @Test
    void membersAdmRefusesAreDeadLetteredOneByOneAndTheOthersNeverResent() throws Exception {
        sandbox.rejectMembers(List.of("refused-3", "refused-7"));
        store.append("dlv_refused", "test", members("refused", 10, AdmMember.CREATE));

        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("dlv_refused").path("total").asInt() == 2);
        assertEquals(8, accepted("dlv_refused"));
        JsonNode letters = deadLetters("dlv_refused");
        JsonNode first = letters.path("deadLetters").get(0);
        assertEquals("refused-3", first.path("externalUserId").asText());
        assertEquals("adm_rejected_member", first.path("reason").asText());
        assertEquals(sha256("refused3"), first.path("member").path("userIdentity").path("hashedPiis").get(0).path("em").asText());
        assertTrue(first.path("details").asText().contains("configured rejection"));
        assertEquals(1, first.path("attempts").asInt());

        sandbox.acceptMembers(List.of("refused-3", "refused-7"));
        assertEquals(2, replay("dlv_refused"));
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_refused") == 10);
        assertEachAcceptedOnce("dlv_refused", 10);
        assertEquals(0, deadLetters("dlv_refused").path("total").asInt());
    }

    @Test
    void throttlingAndServerErrorsDelayDeliveryButLoseNothing() {
        // 429s do not use up attempts; the two 5xx stay below the test profile's four attempts.
        sandbox.addFault(SandboxFault.throttle("members", 3, 1));
        sandbox.addFault(SandboxFault.status("members", 503, 2));
        store.append("dlv_faults", "test", members("faults", 50, AdmMember.CREATE));

        await().atMost(Duration.ofSeconds(30)).until(() -> accepted("dlv_faults") == 50);
        assertEachAcceptedOnce("dlv_faults", 50);
        assertTrue(sandbox.counter("faults.429") >= 3);
    }

    @Test
    void aBatchAdmRefusesAsAWholeIsDeadLetteredAndReplayable() throws Exception {
        sandbox.addFault(SandboxFault.status("members", 400, 1));
        store.append("dlv_whole", "test", members("whole", 5, AdmMember.CREATE));

        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("dlv_whole").path("total").asInt() == 5);
        JsonNode letter = deadLetters("dlv_whole").path("deadLetters").get(0);
        assertEquals("adm_rejected_400", letter.path("reason").asText());
        assertTrue(letter.path("requestId").asText().length() > 10, "Amazon's request id is kept");

        assertEquals(5, replay("dlv_whole"));
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_whole") == 5);
    }

    @Test
    void retriesAreBoundedThenTheBatchIsDeadLettered() throws Exception {
        sandbox.addFault(SandboxFault.status("members", 503, -1));
        store.append("dlv_outage", "test", members("outage", 3, AdmMember.CREATE));

        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("dlv_outage").path("total").asInt() == 3);
        JsonNode letter = deadLetters("dlv_outage").path("deadLetters").get(0);
        assertEquals("adm_unavailable", letter.path("reason").asText());
        assertEquals(4, letter.path("attempts").asInt());

        sandbox.clearFaults();
        assertEquals(3, replay("dlv_outage"));
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_outage") == 3);
    }

    @Test
    void expiredTokensAreRefreshedWithoutLosingOrRepeatingABatch() {
        store.append("dlv_token", "test", members("token", 10, AdmMember.CREATE));
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_token") == 10);
        long issued = sandbox.counter("token.issued");

        sandbox.expireTokens();
        store.append("dlv_token", "test", members("token-after", 10, AdmMember.CREATE));

        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_token") == 20);
        assertEachAcceptedOnce("dlv_token", 20);
        assertEquals(issued + 1, sandbox.counter("token.issued"), "one refresh after the expiry");
    }

    @Test
    void revokedCredentialsPauseDeliveryWithoutBurningBatches() throws Exception {
        sandbox.expireTokens();
        sandbox.setRefreshTokenRevoked(true);
        store.append("dlv_auth", "test", members("auth", 4, AdmMember.CREATE));

        await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("adm.delivery.paused").gauge().value() == 1.0);
        assertEquals(0, deadLetters("dlv_auth").path("total").asInt());
        assertEquals(0, accepted("dlv_auth"));

        sandbox.setRefreshTokenRevoked(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_auth") == 4);
        assertEquals(0, deadLetters("dlv_auth").path("total").asInt());
    }

    @Test
    void countsAddUpFromSourceToAdm() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(Map.of("externalUserId", "src-" + i, "email", "user" + i + "@example.com", "consent.userData", "GRANTED"));
        }
        records.add(Map.of("externalUserId", "src-bad", "email", "nobody@example.com"));
        records.add(Map.of("email", "anonymous@example.com", "consent.userData", "GRANTED"));

        template.sendBody("direct:test-source", records);

        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("crm_test_source") == 20);
        // ADM has them; the store lets go of a batch once ADM's answer is back
        await().atMost(Duration.ofSeconds(5)).until(() -> store.membersInFlight("crm_test_source") == 0);
        double received = sum("adm.records.received", "source", "test-source");
        double rejected = sum("adm.records.rejected", "source", "test-source");
        double uploaded = sum("adm.members.uploaded", "data_set", "crm_test_source");
        double deadLettered = sum("adm.members.dead_lettered", "data_set", "crm_test_source");
        assertEquals(22, received);
        assertEquals(2, rejected);
        assertEquals(received, rejected + uploaded + deadLettered, "received = rejected + uploaded + dead-lettered + in flight");
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("adm_records_received_total{source=\"test-source\"} 22.0"))
                .body(org.hamcrest.Matchers.containsString("adm_records_rejected_total{reason=\"no_consent\",source=\"test-source\"} 1.0"))
                .body(org.hamcrest.Matchers.containsString("adm_members_uploaded_total{data_set=\"crm_test_source\"} 20.0"));
    }

    @Test
    void concurrentAppendsShareACommitAndOneFailingStepFailsAlone() throws Exception {
        // The first append holds the commit for a moment, so the next ones queue up and are committed together.
        Thread slow = new Thread(() -> store.append("dlv_group", "test", members("group-slow", 3, AdmMember.CREATE),
                connection -> sleep(300)));
        slow.start();
        Thread.sleep(50);
        List<Thread> appends = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 10; i++) {
            String prefix = "group-" + i;
            MemberStore.TransactionStep step = i == 4 ? connection -> {
                throw new SQLException("checkpoint moved on meanwhile");
            } : null;
            Thread append = new Thread(() -> {
                try {
                    store.append("dlv_group", "test", members(prefix, 3, AdmMember.CREATE), step);
                } catch (StoreException e) {
                    failures.add(e);
                }
            });
            append.start();
            appends.add(append);
        }
        slow.join();
        for (Thread append : appends) {
            append.join();
        }

        assertEquals(1, failures.size(), "only the append whose own step failed: " + failures);
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted("dlv_group") == 30);
        assertEachAcceptedOnce("dlv_group", 30);
        assertTrue(sandbox.dataSet("dlv_group").members().keySet().stream().noneMatch(id -> id.startsWith("group-4-")));
    }

    @Test
    void aFinishedSourcesMembersAreDueWithoutWaiting() throws Exception {
        camel.getRouteController().stopRoute("adm-batcher");
        List<MemberBatch> claimed = new ArrayList<>();
        try {
            store.append("dlv_flushed", "test", members("flushed", 20, AdmMember.CREATE));
            store.append("dlv_waiting", "test", members("waiting", 20, AdmMember.CREATE));
            BatchLimits limits = new BatchLimits(400, BatchLimits.MAX_BYTES, Duration.ofHours(1));

            claimed.addAll(store.claim(limits, 10, Instant.now(), Map.of("dlv_flushed", Instant.now())));

            assertEquals(List.of("dlv_flushed"), claimed.stream().map(MemberBatch::dataSet).toList());
            assertEquals(20, claimed.get(0).memberCount());
        } finally {
            claimed.forEach(batch -> store.retryLater(batch, Instant.now(), null, false));
            camel.getRouteController().startRoute("adm-batcher");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theAdminApiNeedsTheToken() {
        given().get("/admin/dead-letters").then().statusCode(401).body("message", equalTo("Missing or wrong bearer token"));
        given().header("Authorization", "Bearer wrong").get("/admin/dead-letters").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/admin/dead-letters/replay").then().statusCode(401);
        given().header("Authorization", ADMIN).get("/admin/dead-letters").then().statusCode(200);
    }

    private double sum(String meter, String tag, String value) {
        return Search.in(registry).name(meter).tag(tag, value).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
