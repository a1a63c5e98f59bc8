package io.admconnect.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two bundle processes on one PostgreSQL with leader election (Camel's file-lock cluster service standing
 * in for Kubernetes Leases: ADM_CLUSTER=file). Both take webhooks; only the leader polls (a leader-only file
 * poller, written like the SFTP and Salesforce routes, and the batcher). The leader is killed with SIGKILL
 * under load: the other takes over; the killed one comes back as a follower; then the new leader is stopped
 * gracefully (a rolling update) and the first takes over again. The sandbox must hold every acknowledged
 * member, and a member may reach it twice only if it was in a batch in flight at the kill or left in flight by
 * the graceful stop.
 */
class LeaderElectionIT {

    private static final String SECRET = "leader-it-secret";
    private static final String DATA_SET = "crm_leader_test";
    private static final String SCHEMA = "leader_it";
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path work = Path.of("target", "leader-it").toAbsolutePath();
    private final Path drop = work.resolve("drop");
    private BundleProcess sandbox;
    private BundleProcess a;
    private BundleProcess b;

    @AfterEach
    void stopAll() throws Exception {
        BundleProcess.stopAll(a, b, sandbox);
    }

    @Test
    void onlyTheLeaderPollsAndATakeoverLosesNothing() throws Exception {
        BundleProcess.deleteRecursively(work);
        Files.createDirectories(drop);
        try (Connection connection = DriverManager.getConnection(JDBC, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + SCHEMA + " cascade");
            statement.execute("create schema " + SCHEMA);
        }
        sandbox = new BundleProcess("sandbox", BundleProcess.freePort(), Map.of("ADM_SANDBOX", "true",
                "ADM_DATA_DIR", work.resolve("sandbox-data").toString()), work);
        sandbox.start();
        // slow uploads, so that batches are in flight when the leader dies
        post(sandbox.baseUrl() + "/sandbox/_control/faults", "{\"operation\":\"members\",\"status\":0,\"delayMillis\":300,\"times\":-1}");

        a = bundle("a");
        b = bundle("b");
        a.start();
        Dropper dropper = new Dropper();
        dropper.start();
        await("a leads", Duration.ofSeconds(20), () -> polledBy("a") > 0);
        b.start();

        // 1. both take webhooks; only the leader (a) polls files and runs the batcher
        Feeder feeder = new Feeder(List.of(a, b));
        feeder.start();
        Thread.sleep(4_000);
        assertEquals(0, polledBy("b"), "the follower polls nothing");
        assertEquals(0, batcherTicks(b), "the follower's batcher does not run");
        assertTrue(uploaded(a) > 0 && uploaded(b) == 0, "only the leader uploads: a " + uploaded(a) + ", b " + uploaded(b));
        assertTrue(feeder.acknowledgedBy(b) > 0 && feeder.acknowledgedBy(a) > 0, "both replicas serve webhooks");

        // 2. the leader dies (SIGKILL) under load; b takes over
        feeder.target(List.of(a, b));
        a.kill();
        Instant killed = Instant.now();
        Set<String> inFlightAtKill = membersInFlight(replicaId("bundle-a"));
        await("b polls", Duration.ofSeconds(30), () -> polledBy("b") > 0);
        Duration pollerTakeover = Duration.between(killed, Instant.now());
        await("b's batcher runs", Duration.ofSeconds(30), () -> batcherTicks(b) > 0);
        Duration batcherTakeover = Duration.between(killed, Instant.now());
        int polledByABeforeKill = polledBy("a");

        // 3. a comes back, as a follower
        a.start();
        feeder.target(List.of(a, b));
        Thread.sleep(3_000);
        assertEquals(polledByABeforeKill, polledBy("a"), "the restarted process follows: it polls nothing");
        assertEquals(0, batcherTicks(a));

        // 4. rolling update: the leader (b) is stopped gracefully (SIGTERM); a takes over
        feeder.target(List.of(a));
        Instant stopping = Instant.now();
        b.stop();
        Set<String> leftInFlightByGracefulStop = membersInFlight(replicaId("bundle-b"));
        int polledByBAtStop = polledBy("b");
        await("a polls again", Duration.ofSeconds(30), () -> polledBy("a") > polledByABeforeKill);
        Duration gracefulTakeover = Duration.between(stopping, Instant.now());
        Thread.sleep(2_000);
        feeder.stopFeeding();
        dropper.stopDropping();

        // every acknowledged member reached ADM; twice only if it was in flight at the kill or the stop
        Map<String, Integer> delivered = sandbox.awaitSandboxMembers(DATA_SET, feeder.acknowledged, Duration.ofSeconds(60));
        long lost = feeder.acknowledged.stream().filter(id -> !delivered.containsKey(id)).count();
        Set<String> twice = new TreeSet<>();
        delivered.forEach((id, times) -> {
            if (times > 1) {
                twice.add(id);
            }
        });
        Set<String> allowed = new TreeSet<>(inFlightAtKill);
        allowed.addAll(leftInFlightByGracefulStop);
        Set<String> unexpected = new TreeSet<>(twice);
        unexpected.removeAll(allowed);
        await("every dropped file polled", Duration.ofSeconds(20), () -> pending() == 0);
        Map<String, Integer> polls = pollsPerFile();
        long polledTwice = polls.values().stream().filter(times -> times > 1).count();

        String report = String.format("acknowledged=%d (a %d, b %d) delivered=%d lost=%d duplicates=%d inFlightAtKill=%d"
                + " leftInFlightByGracefulStop=%d unexpectedDuplicates=%d pollerTakeover=%dms batcherTakeover=%dms"
                + " gracefulTakeover=%dms files=%d (by a %d, by b %d) filesPolledTwice=%d refusedWhileDown=%d",
                feeder.acknowledged.size(), feeder.acknowledgedBy(a), feeder.acknowledgedBy(b), delivered.size(), lost, twice.size(),
                inFlightAtKill.size(), leftInFlightByGracefulStop.size(), unexpected.size(), pollerTakeover.toMillis(),
                batcherTakeover.toMillis(), gracefulTakeover.toMillis(), polls.size(), polledBy("a"), polledByBAtStop, polledTwice,
                feeder.refused.get());
        Files.writeString(work.resolve("report.txt"), report + System.lineSeparator());
        System.out.println("LeaderElectionIT: " + report);

        assertTrue(feeder.acknowledged.size() > 500, "enough got through to make the test meaningful: " + report);
        assertEquals(0, lost, report);
        assertEquals(Set.of(), unexpected, "uploaded twice although not in flight at the takeover: " + report);
        assertEquals(0, polledTwice, report);
        assertEquals(dropper.dropped.get(), polls.size(), report);
    }

    private BundleProcess bundle(String member) throws Exception {
        Map<String, String> environment = new HashMap<>();
        String sandboxRoot = sandbox.baseUrl() + "/sandbox";
        environment.putAll(Map.of("ADM_API_URL", sandboxRoot, "ADM_AUTH_URL", sandboxRoot + "/auth/o2/token",
                "ADM_CLIENT_ID", "sandbox-client", "ADM_CLIENT_SECRET", "sandbox-secret",
                "ADM_REFRESH_TOKEN", "Atzr|sandbox-refresh-token", "ADM_MANAGER_ACCOUNT_ID", "leader-it-manager",
                "WEBHOOK_SECRET", SECRET, "WEBHOOK_DATA_SET", DATA_SET,
                "ADM_BATCH_MAX_MEMBERS", "100", "ADM_BATCH_MAX_WAIT", "300ms"));
        environment.putAll(Map.of("QUARKUS_DATASOURCE_JDBC_URL", JDBC + "?currentSchema=" + SCHEMA, "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "ADM_CLUSTER", "file", "ADM_LEADER_DIRECTORY", work.resolve("leader").toString(),
                "ADM_LEADER_RETRY_PERIOD", "500ms", "ADM_LEADER_LEASE_DURATION", "3s",
                "CAMEL_MAIN_ROUTES_INCLUDE_PATTERN", "file:routes/*.yaml,file:" + Path.of("src/test/resources/leader-routes").toAbsolutePath() + "/*.yaml",
                "PROBE_DIRECTORY", drop.toString(), "PROBE_MEMBER", member,
                "ADM_DATA_DIR", work.resolve("data-" + member).toString()));
        return new BundleProcess("bundle-" + member, BundleProcess.freePort(), environment, work);
    }

    // ---- what the processes did -----------------------------------------------------------------

    /** Probe files the member has polled (moved to .done/ with its name appended). */
    private int polledBy(String member) throws Exception {
        Path done = drop.resolve(".done");
        if (!Files.isDirectory(done)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(done)) {
            return (int) files.filter(file -> file.getFileName().toString().endsWith(".txt." + member)).count();
        }
    }

    private Map<String, Integer> pollsPerFile() throws Exception {
        Map<String, Integer> polls = new HashMap<>();
        try (Stream<Path> files = Files.list(drop.resolve(".done"))) {
            files.forEach(file -> polls.merge(file.getFileName().toString().replaceAll("\\.txt\\..*$", ".txt"), 1, Integer::sum));
        }
        return polls;
    }

    private long pending() throws Exception {
        try (Stream<Path> files = Files.list(drop)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".txt")).count();
        }
    }

    private double batcherTicks(BundleProcess process) throws Exception {
        return metric(process, "camel_exchanges_total\\{[^}]*routeId=\"adm-batcher\"[^}]*\\}");
    }

    private double uploaded(BundleProcess process) throws Exception {
        return metric(process, "adm_members_uploaded_total\\{[^}]*\\}");
    }

    private static double metric(BundleProcess process, String series) throws Exception {
        HttpResponse<String> metrics = BundleProcess.HTTP.send(HttpRequest.newBuilder(URI.create(process.baseUrl() + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher value = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(metrics.body());
        double sum = 0;
        while (value.find()) {
            sum += Double.parseDouble(value.group(1));
        }
        return sum;
    }

    /** The replica id the process claimed batches under, from its log ("This process (...) now runs the batcher"). */
    private String replicaId(String process) throws Exception {
        Matcher line = Pattern.compile("This process \\((\\S+)\\) now runs the batcher").matcher(Files.readString(work.resolve(process + ".log")));
        String id = null;
        while (line.find()) {
            id = line.group(1);
        }
        assertTrue(id != null, process + " never ran the batcher");
        return id;
    }

    /** The external ids of the members in batches the replica claimed and did not finish (its uploads in flight). */
    private Set<String> membersInFlight(String replica) throws Exception {
        Set<String> ids = new TreeSet<>();
        try (Connection connection = DriverManager.getConnection(JDBC + "?currentSchema=" + SCHEMA, "postgres", "");
                var select = connection.prepareStatement("select d.members from member_chunk c join member_chunk_data d on d.chunk_id = c.id"
                        + " join member_batch b on b.id = c.batch_id"
                        + " where b.in_flight and b.claimed_by = ?")) {
            select.setString(1, replica);
            ResultSet chunks = select.executeQuery();
            while (chunks.next()) {
                for (JsonNode member : mapper.readTree("[" + new String(chunks.getBytes(1), StandardCharsets.UTF_8) + "]")) {
                    ids.add(member.path("externalUserId").asText());
                }
            }
        }
        return ids;
    }

    // ---- load ------------------------------------------------------------------------------------

    /** Posts signed batches of 20 records with unique ids, round robin; an id counts as acknowledged on a 202. */
    private final class Feeder extends Thread {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Map<BundleProcess, AtomicInteger> perTarget = new ConcurrentHashMap<>();
        final AtomicInteger refused = new AtomicInteger();
        private final AtomicReference<List<BundleProcess>> targets;
        private final AtomicBoolean feeding = new AtomicBoolean(true);

        Feeder(List<BundleProcess> targets) {
            super("feeder");
            this.targets = new AtomicReference<>(targets);
        }

        void target(List<BundleProcess> processes) {
            targets.set(processes);
        }

        int acknowledgedBy(BundleProcess process) {
            return perTarget.getOrDefault(process, new AtomicInteger()).get();
        }

        void stopFeeding() throws InterruptedException {
            feeding.set(false);
            join();
        }

        @Override
        public void run() {
            int request = 0;
            while (feeding.get()) {
                request++;
                List<BundleProcess> now = targets.get();
                BundleProcess target = now.get(request % now.size());
                try {
                    List<String> ids = target.postWebhook(SECRET, "leader-" + request);
                    if (ids.isEmpty()) {
                        refused.incrementAndGet();
                    } else {
                        acknowledged.addAll(ids);
                        perTarget.computeIfAbsent(target, t -> new AtomicInteger()).addAndGet(ids.size());
                        pause(10);
                    }
                } catch (Exception down) {
                    refused.incrementAndGet();
                    pause(50);
                }
            }
        }
    }

    /** Drops a probe file every 100 ms (written aside, then renamed: a poller never sees half a file). */
    private final class Dropper extends Thread {
        final AtomicInteger dropped = new AtomicInteger();
        private final AtomicBoolean dropping = new AtomicBoolean(true);

        Dropper() {
            super("dropper");
        }

        void stopDropping() throws InterruptedException {
            dropping.set(false);
            join();
        }

        @Override
        public void run() {
            while (dropping.get()) {
                try {
                    String name = "p-" + dropped.get() + ".txt";
                    Path aside = drop.resolve("." + name + ".tmp");
                    Files.writeString(aside, name);
                    Files.move(aside, drop.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    dropped.incrementAndGet();
                    pause(100);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void post(String url, String json) throws Exception {
        HttpResponse<String> response = BundleProcess.HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, url + ": " + response.statusCode() + " " + response.body());
    }

    private static void await(String what, Duration timeout, Check check) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
