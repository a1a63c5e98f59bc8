package io.admconnect.batching;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.adm.AdmMember;
import io.admconnect.sandbox.AdmSandbox;
import io.admconnect.sandbox.SandboxFault;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every ADM fault at once, on one stream of members: a 10-second outage, then 20% of uploads answered
 * 5xx, bursts of 429 with Retry-After, 5% of uploads answered after the client's timeout, the refresh
 * token revoked for two seconds (and restored) after the access token expired, and 1% of members refused.
 * Every valid member must reach ADM, every refused one must be a dead letter with its reason, and nothing
 * else: no member is lost, none dead-lettered for the outage. The only repeats allowed are the members of
 * uploads ADM processed but answered too late (the client cannot know; at-least-once).
 * {@code -Dstorm.members=50000} runs a longer storm.
 */
@QuarkusTest
@TestProfile(FaultStormTest.Storm.class)
class FaultStormTest {

    private static final String DATA_SET = "dlv_storm";
    private static final int MEMBERS = Integer.getInteger("storm.members", 5000);
    private static final int BATCH = 100;

    public static class Storm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Enough attempts to ride out the outage; a client timeout the slow answers exceed.
            return Map.of("adm.delivery.max-attempts", "200", "adm.batch.max-members", String.valueOf(BATCH),
                    "camel.component.adm.request-timeout", "1s");
        }
    }

    @Inject
    MemberStore store;

    @Inject
    AdmSandbox sandbox;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void calm() {
        sandbox.clearFaults();
        sandbox.setRefreshTokenRevoked(false);
    }

    @Test
    void everyValidMemberArrivesEveryRefusedOneIsADeadLetterAndNothingElseHappens() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        List<AdmMember> members = DeliveryTest.members("storm", MEMBERS, AdmMember.CREATE);
        List<String> refused = IntStream.range(0, MEMBERS).filter(i -> i % 100 == 42).mapToObj(i -> "storm-" + i).toList();
        sandbox.rejectMembers(refused);
        long started = System.nanoTime();

        // A 10-second outage while the first two fifths arrive.
        sandbox.addFault(new SandboxFault("members", 503, -1, null, null, null));
        int outageShare = MEMBERS * 2 / 5;
        append(members.subList(0, outageShare));
        Thread.sleep(10_000);
        sandbox.clearFaults();

        // Then the storm, while the rest arrives.
        sandbox.addFault(new SandboxFault("members", 503, -1, null, null, 0.2));
        sandbox.addFault(new SandboxFault("members", 429, 5, 1, null, null));
        sandbox.addFault(new SandboxFault("members", 0, -1, null, 1_500L, 0.05));
        append(members.subList(outageShare, MEMBERS / 2));
        sandbox.expireTokens();
        sandbox.setRefreshTokenRevoked(true);
        Thread.sleep(2_000);
        sandbox.setRefreshTokenRevoked(false);
        append(members.subList(MEMBERS / 2, MEMBERS));

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> accepted() == MEMBERS - refused.size() && deadLettered() == refused.size());
        sandbox.clearFaults();
        double seconds = (System.nanoTime() - started) / 1e9;

        Map<String, AdmSandbox.StoredMember> delivered = sandbox.dataSet(DATA_SET).members();
        int repeats = delivered.values().stream().mapToInt(member -> member.timesAccepted() - 1).sum();
        long late = sandbox.counter("faults.delayed");
        JsonNode letters = new ObjectMapper().readTree(given().header("Authorization", "Bearer test-admin-token")
                .queryParam("dataSet", DATA_SET).queryParam("limit", 1000).get("/admin/dead-letters").asString());
        List<String> deadLettered = new ArrayList<>();
        letters.path("deadLetters").forEach(letter -> {
            assertEquals("adm_rejected_member", letter.path("reason").asText(), letter.toString());
            deadLettered.add(letter.path("externalUserId").asText());
        });
        String report = String.format("members=%d delivered=%d deadLettered=%d lost=%d repeats=%d (late answers %d)"
                + " faults: 503=%d 429=%d tokenRefreshes=%d seconds=%.1f", MEMBERS, delivered.size(), deadLettered.size(),
                MEMBERS - delivered.size() - deadLettered.size(), repeats, late, sandbox.counter("faults.503"),
                sandbox.counter("faults.429"), sandbox.counter("token.issued"), seconds);
        System.out.println("FaultStormTest: " + report);

        assertEquals(MEMBERS - refused.size(), delivered.size(), report);
        assertEquals(refused.stream().sorted().toList(), deadLettered.stream().sorted().toList(), report);
        refused.forEach(id -> assertTrue(!delivered.containsKey(id), id + " was refused, yet delivered"));
        assertTrue(repeats <= late * BATCH, "only uploads answered after the timeout may repeat members: " + report);
        assertTrue(sandbox.counter("faults.503") > 0 && sandbox.counter("faults.429") >= 5, "the storm happened: " + report);
        // The bundle's own counts add up: what it stored was uploaded or dead-lettered, nothing is in flight.
        assertEquals(0, store.membersInFlight(DATA_SET));
        assertEquals(MEMBERS - refused.size(), counted("adm.members.uploaded"), report);
        assertEquals(refused.size(), counted("adm.members.dead_lettered"), report);
    }

    private void append(List<AdmMember> members) {
        for (int from = 0; from < members.size(); from += BATCH) {
            store.append(DATA_SET, "storm", members.subList(from, Math.min(from + BATCH, members.size())));
        }
    }

    private long accepted() {
        AdmSandbox.DataSet set = sandbox.dataSet(DATA_SET);
        return set == null ? 0 : set.members().size();
    }

    private long deadLettered() {
        return (long) counted("adm.members.dead_lettered");
    }

    private double counted(String meter) {
        return Search.in(registry).name(meter).tag("data_set", DATA_SET).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
