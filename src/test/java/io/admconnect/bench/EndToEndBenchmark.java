package io.admconnect.bench;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import io.admconnect.durability.BundleProcess;
import io.admconnect.source.SftpServer;
import io.admconnect.source.WebhookSignatures;

/**
 * The end-to-end benchmark (BENCHMARKS.md): the packaged bundle ({@code target/quarkus-app}) runs as a
 * process of its own against the ADM sandbox in another, as in {@code KillNineIT}; an embedded SFTP server
 * (Apache MINA SSHD) and the webhook sender run here.
 * <ul>
 * <li>SFTP ({@code baseline}, {@code embedded}, {@code postgres}): a CSV of N synthetic CRM records
 * ({@link CrmRecords}) is dropped into the SFTP inbox, after a warm-up file through the same processes;
 * measured from the first byte the SFTP server sends to the last member the sandbox accepts. The
 * {@link BaselineUpload} gets the same files over SFTP and a fresh sandbox, for the ratio.</li>
 * <li>{@code webhook}: signed requests of one record each at a fixed rate, open loop ({@link WebhookLoad}); a
 * record's latency is the time the sandbox accepted it minus the time its request was due.</li>
 * </ul>
 * Each run gets fresh processes. CPU seconds and peak RSS come from {@code /proc} per process (CPU over the
 * measured part only), heap from the bundle's own metrics. Prints Markdown tables and writes them to
 * {@code target/bench-e2e/report.md}.
 *
 * <p>Run with {@code ./mvnw -B -Pbench-e2e verify -Dbench.e2e.args="..."}; arguments ({@code key=value}):
 * {@code records} (sizes, {@code 1000000,5000000}), {@code runs} ({@code baseline,embedded,postgres,webhook}),
 * {@code warmupRecords} (200000; 0 for cold processes), {@code rate} (webhook requests/s, 1000), {@code seconds}
 * (webhook seconds measured, 30), {@code warmupSeconds} (webhook seconds before, 60), {@code jvm} (the bundle's and
 * the baseline's JVM options, {@value #MEMORY_CAPPED_JVM}), {@code validate} (the sandbox checks every request
 * against the OpenAPI file, {@code false}), {@code profile} ({@code cpu}, {@code wall} or {@code alloc}:
 * async-profiler on the bundle and the sandbox during the measured part; {@code false}), {@code bundleJar} (another
 * build's {@code quarkus-run.jar} to measure, e.g. the main branch's, against this build's sandbox and baseline).
 */
public final class EndToEndBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** How often the benchmark looks whether the bundle or the sandbox is done. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String SECRET = "bench-webhook-secret";
    private static final String SFTP_DATA_SET = "crm_bench_sftp";
    private static final String BASELINE_DATA_SET = "crm_bench_baseline";
    private static final String WEBHOOK_DATA_SET = "crm_bench_webhook";
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String POSTGRES_APPLICATION = "adm-connect-bench";
    /**
     * The JVM of the bundle and the baseline, sized for a 512 MB pod: a 256 MB heap, the parallel collector (G1's own
     * bookkeeping is some 50 MB more), no per-thread cache of multi-megabyte direct buffers (H2 writes big pages), and
     * (in {@link #PROCESS_ENVIRONMENT}) two malloc arenas instead of up to 16.
     */
    private static final String MEMORY_CAPPED_JVM = "-Xmx256m -XX:+UseParallelGC -Djdk.nio.maxCachedBufferSize=262144";
    /**
     * The sandbox stands in for Amazon's servers but shares the two cores: it gets the JVM that costs least CPU for
     * an entry per member (5M at most). Its heap is touched once at start; with G1 and a growing heap, page faults,
     * remembered sets and refinement were a third of its CPU.
     */
    private static final List<String> SANDBOX_JVM = List.of("-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC");
    private static final Map<String, String> PROCESS_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");
    /** The webhook sender's kept-alive connections: requests in flight at most. */
    private static final int CONNECTIONS = 32;

    private final Map<String, String> options;
    private final Path work = Path.of("target", "bench-e2e").toAbsolutePath();
    private final CrmRecords records = new CrmRecords(7, "crm-");
    private final CrmRecords warmupRecords = new CrmRecords(8, "warm-");
    private final List<String> sftpRows = new ArrayList<>();
    private final List<String> webhookRows = new ArrayList<>();
    private final Map<Integer, Double> baselineRates = new HashMap<>();
    private SftpServer sftp;
    private Map<String, String> sftpSettings;
    private Path profiler;
    private int run;

    private EndToEndBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.putAll(Map.of("records", "1000000,5000000", "runs", "baseline,embedded,postgres,webhook", "warmupRecords", "200000",
                "rate", "1000", "seconds", "30", "warmupSeconds", "60", "jvm", MEMORY_CAPPED_JVM, "validate", "false", "profile", "false"));
        options.put("bundleJar", "");
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0 || !options.containsKey(arg.substring(0, eq))) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + options.keySet());
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new EndToEndBenchmark(options).runAll();
        System.exit(0); // the embedded SFTP server's threads would keep the JVM alive
    }

    private void runAll() throws Exception {
        Files.createDirectories(work);
        List<String> runs = List.of(options.get("runs").split(","));
        String started = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        String loadBefore = loadAverage();
        sftp = new SftpServer();
        sftpSettings = sftp.start();
        try {
            Files.createDirectories(sftp.root().resolve("baseline"));
            int warmupCount = Integer.parseInt(options.get("warmupRecords"));
            Path warmup = warmupCount == 0 ? null : warmupRecords.csv(work.resolve("data"), warmupCount);
            for (String size : options.get("records").split(",")) {
                int count = Integer.parseInt(size.trim());
                Path file = records.csv(work.resolve("data"), count);
                for (String name : List.of("baseline", "embedded", "postgres")) {
                    if (runs.contains(name)) {
                        sftpRows.add(name.equals("baseline") ? baseline(warmup, file, count) : pipeline(name, warmup, file, count));
                    }
                }
            }
            if (runs.contains("webhook")) {
                webhookRows.add(webhook());
            }
        } finally {
            sftp.stop();
        }
        String report = report(started, loadBefore);
        Files.writeString(work.resolve("report.md"), report);
        System.out.println(report);
    }

    // ---- SFTP ------------------------------------------------------------------------------------

    /** The baseline program, as a process of its own, against a fresh sandbox: the warm-up file (if any), then the measured one. */
    private String baseline(Path warmup, Path file, int count) throws Exception {
        String name = "baseline-" + (++run) + "-" + count + ".csv";
        Path runDirectory = runDirectory(name);
        BundleProcess sandbox = sandbox(runDirectory);
        Path directory = sftp.root().resolve("baseline");
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineUpload.class.getName(),
                    "127.0.0.1", sftpSettings.get("sftp.port"), SftpServer.USER, SftpServer.PASSWORD, sftpSettings.get("sftp.known-hosts-file"),
                    sandbox.baseUrl() + "/sandbox", BASELINE_DATA_SET, "5000", "2"));
            if (warmup != null) {
                Files.createLink(directory.resolve("warmup-" + name), warmup);
                command.add("baseline/warmup-" + name);
            }
            Files.createLink(directory.resolve(name), file);
            command.add("baseline/" + name);
            // CPU and memory of the measured file: the baseline reports its own (its JVM's start and warm-up excluded).
            ProcessUsage sandboxBefore = ProcessUsage.of(sandbox.pid());
            long acceptedBefore = 0;
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(runDirectory.resolve("baseline.log").toFile());
            builder.environment().putAll(PROCESS_ENVIRONMENT);
            Process baseline = builder.start();
            JsonNode result = null;
            try (BufferedReader lines = baseline.inputReader(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    result = MAPPER.readTree(line);
                    if (result.path("file").asText().contains("warmup-")) {
                        sandboxBefore = ProcessUsage.of(sandbox.pid());
                        acceptedBefore = dataSetState(sandbox, BASELINE_DATA_SET).path("membersAccepted").asLong();
                    }
                }
            }
            if (baseline.waitFor() != 0 || result == null) {
                throw new IllegalStateException("the baseline failed; see " + runDirectory.resolve("baseline.log"));
            }
            ProcessUsage sandboxUsed = ProcessUsage.of(sandbox.pid());
            JsonNode dataSet = dataSetState(sandbox, BASELINE_DATA_SET);
            baselineRates.put(count, count / seconds(sftp.firstRead(name), lastAccepted(dataSet)));
            return row("baseline (no Camel, no store)", name, count, result.path("members").asLong(),
                    dataSet.path("membersAccepted").asLong() - acceptedBefore, lastAccepted(dataSet), result.path("cpuSeconds").asDouble(),
                    sandboxUsed.cpuSeconds() - sandboxBefore.cpuSeconds(), result.path("peakRssMb").asLong(), "-");
        } finally {
            BundleProcess.stopAll(sandbox);
            deleteStores(runDirectory);
            try (var links = Files.list(directory)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
        }
    }

    /** The bundle's SFTP route on the given store, against a fresh sandbox. */
    private String pipeline(String store, Path warmup, Path file, int count) throws Exception {
        String name = store + "-" + (++run) + "-" + count + ".csv";
        Path runDirectory = runDirectory(name);
        BundleProcess sandbox = sandbox(runDirectory);
        BundleProcess bundle = null;
        try {
            Map<String, String> environment = bundleEnvironment(sandbox, runDirectory, store);
            environment.putAll(Map.of("SFTP_HOST", "127.0.0.1", "SFTP_PORT", sftpSettings.get("sftp.port"), "SFTP_USERNAME", SftpServer.USER,
                    "SFTP_PASSWORD", SftpServer.PASSWORD, "SFTP_DIRECTORY", SftpServer.DIRECTORY, "SFTP_DATA_SET", SFTP_DATA_SET,
                    "SFTP_POLL_DELAY", "200ms", "SFTP_KNOWN_HOSTS_FILE", sftpSettings.get("sftp.known-hosts-file")));
            bundle = new BundleProcess("bundle", BundleProcess.freePort(), environment, runDirectory, jvmOptions(), bundleJar());
            bundle.start();
            if (warmup != null) {
                deliver(bundle, sandbox, "warmup-" + name, warmup);
            }
            long accepted = dataSetState(sandbox, SFTP_DATA_SET).path("membersAccepted").asLong();
            ProcessUsage bundleBefore = ProcessUsage.of(bundle.pid());
            ProcessUsage sandboxBefore = ProcessUsage.of(sandbox.pid());
            double postgresBefore = postgresCpuSeconds();
            try (HeapSampler heap = new HeapSampler(bundle); Profiling profiling = profile(name, bundle, sandbox)) {
                long members = deliver(bundle, sandbox, name, file);
                JsonNode dataSet = dataSetState(sandbox, SFTP_DATA_SET);
                ProcessUsage bundleUsed = ProcessUsage.of(bundle.pid());
                ProcessUsage sandboxUsed = ProcessUsage.of(sandbox.pid());
                String what = store.equals("postgres")
                        ? String.format("pipeline, PostgreSQL store (its server: %.1f CPU s more)", postgresCpuSeconds() - postgresBefore)
                        : "pipeline, embedded store";
                return row(what, name, count, members,
                        dataSet.path("membersAccepted").asLong() - accepted, lastAccepted(dataSet), bundleUsed.cpuSeconds() - bundleBefore.cpuSeconds(),
                        sandboxUsed.cpuSeconds() - sandboxBefore.cpuSeconds(), bundleUsed.peakRssMb(), heap.summary());
            }
        } finally {
            BundleProcess.stopAll(bundle, sandbox);
            deleteStores(runDirectory);
        }
    }

    /**
     * Drops a file into the inbox (a hard link, so it appears whole), waits until the bundle stored it and the
     * sandbox accepted every member it made of it; returns how many members that was.
     */
    private long deliver(BundleProcess bundle, BundleProcess sandbox, String name, Path file) throws Exception {
        Path inbox = sftp.root().resolve(SftpServer.DIRECTORY);
        long before = (long) metric(bundle, "adm_file_members_stored_total{source=\"sftp\"");
        Files.createLink(inbox.resolve(name), file);
        Duration timeout = Duration.ofSeconds(Math.max(120, Files.size(file) >> 19)); // 2 s per MB
        await("the file to be stored").atMost(timeout).pollInterval(POLL).until(() -> Files.exists(inbox.resolve(".done").resolve(name)));
        long stored = (long) metric(bundle, "adm_file_members_stored_total{source=\"sftp\"");
        await("the sandbox to accept every member").atMost(timeout).pollInterval(POLL)
                .until(() -> dataSetState(sandbox, SFTP_DATA_SET).path("membersAccepted").asLong() >= stored);
        return stored - before;
    }

    /** A row of the SFTP table: the clock runs from the first byte the SFTP server sent of the file to the last member ADM accepted. */
    private String row(String what, String file, int count, long members, long accepted, Instant lastAccepted, double cpu, double sandboxCpu,
            long peakRss, String heap) {
        double seconds = seconds(sftp.firstRead(file), lastAccepted);
        double rate = count / seconds;
        Double baseline = baselineRates.get(count);
        String row = String.format("| %s | %,d | %,d | %,d | %.1f | %.1f | %,.0f | %s | %.1f | %.1f | %,d | %s |", what, count, members, accepted,
                seconds, seconds(sftp.lastRead(file), lastAccepted), rate, baseline == null ? "-" : String.format("%.2f", rate / baseline), cpu,
                sandboxCpu, peakRss, heap);
        System.out.println(row);
        return row;
    }

    // ---- webhook ---------------------------------------------------------------------------------

    /**
     * Open-loop load: request i (one record, {@code crm-i}) is due at start + i / rate and leaves then,
     * whether earlier requests were answered or not (so a slow bundle cannot slow the clock down).
     */
    private String webhook() throws Exception {
        Path runDirectory = runDirectory("webhook-" + (++run));
        BundleProcess sandbox = sandbox(runDirectory);
        BundleProcess bundle = null;
        try {
            Map<String, String> environment = bundleEnvironment(sandbox, runDirectory, "embedded");
            environment.putAll(Map.of("WEBHOOK_SECRET", SECRET, "WEBHOOK_DATA_SET", WEBHOOK_DATA_SET));
            int port = BundleProcess.freePort();
            bundle = new BundleProcess("bundle", port, environment, runDirectory, jvmOptions(), bundleJar());
            bundle.start();
            int rate = Integer.parseInt(options.get("rate"));
            int warmup = rate * Integer.parseInt(options.get("warmupSeconds"));
            int total = warmup + rate * Integer.parseInt(options.get("seconds"));
            byte[][] requests = new byte[total][];
            for (int i = 0; i < total; i++) {
                String body = records.json(i);
                requests[i] = WebhookLoad.request(port, WebhookSignatures.sign(body, SECRET), body);
            }
            WebhookLoad load = new WebhookLoad(requests, rate);
            BundleProcess measured = bundle;
            ProcessUsage[] before = new ProcessUsage[1];
            HeapSampler[] heap = new HeapSampler[1];
            Profiling[] profiling = new Profiling[1];
            long started = System.nanoTime();
            load.run(port, CONNECTIONS, () -> {
                before[0] = ProcessUsage.of(measured.pid());
                heap[0] = new HeapSampler(measured);
                try {
                    profiling[0] = profile("webhook-" + run, measured, sandbox);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, warmup);
            double sendSeconds = (System.nanoTime() - started) / 1e9;
            await("the sandbox to accept every webhook member").atMost(Duration.ofMinutes(2)).pollInterval(POLL)
                    .until(() -> dataSetState(sandbox, WEBHOOK_DATA_SET).path("membersAccepted").asLong() >= load.accepted.get());
            ProcessUsage used = ProcessUsage.of(bundle.pid());
            heap[0].close();
            profiling[0].close();
            Map<String, Long> acceptedAt = acceptedAt(sandbox, WEBHOOK_DATA_SET);
            List<Long> latencies = new ArrayList<>();
            for (int i = warmup; i < total; i++) {
                Long at = acceptedAt.get("crm-" + i);
                if (at != null) {
                    latencies.add(at - load.dueAt[i]);
                }
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] acks = Arrays.stream(load.answeredAfter, warmup, total).map(nanos -> nanos / 1_000_000).sorted().toArray();
            String row = String.format("| %,d | %,.0f | %,d | %,d | %s | %,d | %,d | %,d / %,d | %.1f | %,d | %s |", rate, total / sendSeconds,
                    total - warmup, sorted.length, load.failures.isEmpty() ? "0" : load.failures.toString(), percentile(sorted, 50),
                    percentile(sorted, 99), percentile(acks, 50), percentile(acks, 99), used.cpuSeconds() - before[0].cpuSeconds(),
                    used.peakRssMb(), heap[0].summary());
            System.out.println(row);
            return row;
        } finally {
            BundleProcess.stopAll(bundle, sandbox);
            deleteStores(runDirectory);
        }
    }

    private static long percentile(long[] sorted, int percentile) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    /** Every member of the data set the sandbox accepted, by external id, with when it accepted it (epoch millis). */
    private static Map<String, Long> acceptedAt(BundleProcess sandbox, String dataSet) throws Exception {
        Map<String, Long> acceptedAt = new HashMap<>();
        for (JsonNode member : sandbox.acceptedMembers(dataSet)) {
            acceptedAt.put(member.path("externalUserId").asText(), Instant.parse(member.path("acceptedAt").asText()).toEpochMilli());
        }
        return acceptedAt;
    }

    // ---- processes -------------------------------------------------------------------------------

    /** A fresh sandbox: counts only (no member JSON kept), every request checked against the OpenAPI file unless told not to. */
    private BundleProcess sandbox(Path runDirectory) throws Exception {
        BundleProcess sandbox = new BundleProcess("sandbox", BundleProcess.freePort(), Map.of("ADM_SANDBOX", "true",
                "SANDBOX_RETAIN_MEMBERS", "false", "SANDBOX_VALIDATE_REQUESTS", options.get("validate"),
                "ADM_DATA_DIR", runDirectory.resolve("sandbox-data").toString()), runDirectory, SANDBOX_JVM);
        sandbox.start();
        return sandbox;
    }

    private static Map<String, String> bundleEnvironment(BundleProcess sandbox, Path runDirectory, String store) throws Exception {
        String sandboxRoot = sandbox.baseUrl() + "/sandbox";
        Map<String, String> environment = new HashMap<>(PROCESS_ENVIRONMENT);
        environment.putAll(Map.of("ADM_API_URL", sandboxRoot, "ADM_AUTH_URL", sandboxRoot + "/auth/o2/token",
                "ADM_CLIENT_ID", "sandbox-client", "ADM_CLIENT_SECRET", "sandbox-secret", "ADM_REFRESH_TOKEN", "Atzr|sandbox-refresh-token",
                "ADM_MANAGER_ACCOUNT_ID", "bench-manager", "ADM_DATA_DIR", runDirectory.resolve("bundle-data").toString()));
        if (store.equals("postgres")) {
            try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("drop schema if exists bench cascade");
                statement.execute("create schema bench");
            }
            environment.putAll(Map.of("QUARKUS_DATASOURCE_JDBC_URL", POSTGRES + "?currentSchema=bench&ApplicationName=" + POSTGRES_APPLICATION,
                    "QUARKUS_DATASOURCE_USERNAME", "postgres"));
        }
        return environment;
    }

    /** CPU seconds of the PostgreSQL server processes serving the bundle's connections (none: 0). */
    private static double postgresCpuSeconds() throws Exception {
        double seconds = 0;
        try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement statement = connection.createStatement();
                var pids = statement.executeQuery("select pid from pg_stat_activity where application_name = '" + POSTGRES_APPLICATION + "'")) {
            while (pids.next()) {
                try {
                    seconds += ProcessUsage.of(pids.getLong(1)).cpuSeconds();
                } catch (IllegalStateException closed) {
                    // a connection the pool closed meanwhile
                }
            }
        }
        return seconds;
    }

    /** The bundle to measure: this build's, or another's ({@code bundleJar=}); the sandbox is always this build's. */
    private String bundleJar() {
        return options.get("bundleJar").isEmpty() ? BundleProcess.DEFAULT_JAR : options.get("bundleJar");
    }

    private List<String> jvmOptions() {
        return List.of(options.get("jvm").trim().split("\\s+"));
    }

    /** The processes' stores, gigabytes after a big file; their logs stay. */
    private static void deleteStores(Path runDirectory) throws IOException {
        BundleProcess.deleteRecursively(runDirectory.resolve("bundle-data"));
        BundleProcess.deleteRecursively(runDirectory.resolve("sandbox-data"));
    }

    private Path runDirectory(String name) throws IOException {
        Path directory = work.resolve("runs").resolve(name);
        BundleProcess.deleteRecursively(directory);
        return Files.createDirectories(directory);
    }

    private static JsonNode dataSetState(BundleProcess sandbox, String name) throws Exception {
        for (JsonNode dataSet : MAPPER.readTree(get(sandbox, "/sandbox/_control/state")).path("dataSets")) {
            if (name.equals(dataSet.path("name").asText())) {
                return dataSet;
            }
        }
        return MAPPER.createObjectNode();
    }

    /** The sum of the samples of a Prometheus metric whose line starts with {@code prefix} (name and first labels). */
    private static double metric(BundleProcess bundle, String prefix) throws Exception {
        double sum = 0;
        for (String line : get(bundle, "/q/metrics").split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static String get(BundleProcess process, String path) throws Exception {
        return BundleProcess.HTTP.send(HttpRequest.newBuilder(URI.create(process.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Instant lastAccepted(JsonNode dataSet) {
        return Instant.parse(dataSet.path("lastAcceptedAt").asText());
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** Every second: the bundle's heap (used and committed, from its metrics); keeps the peaks. */
    private static final class HeapSampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private double peakUsed;
        private double peakCommitted;

        HeapSampler(BundleProcess bundle) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        peakUsed = Math.max(peakUsed, metric(bundle, "jvm_memory_used_bytes{area=\"heap\""));
                        peakCommitted = Math.max(peakCommitted, metric(bundle, "jvm_memory_committed_bytes{area=\"heap\""));
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // the bundle is busy or gone: the next sample will tell
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        String summary() {
            return String.format("%,d / %,d", (long) peakUsed >> 20, (long) peakCommitted >> 20);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }
    }

    // ---- profiling -------------------------------------------------------------------------------

    /**
     * async-profiler attached to the bundle and the sandbox for the measured part ({@code profile=cpu}: CPU samples
     * per thread; {@code wall}: where threads spend their time, waiting included; {@code alloc}: allocated bytes),
     * written as collapsed stacks and a flame graph; else nothing.
     */
    private Profiling profile(String name, BundleProcess... processes) throws Exception {
        String event = options.get("profile");
        if (event.equals("false")) {
            return () -> {
            };
        }
        if (profiler == null) {
            try (InputStream library = EndToEndBenchmark.class.getClassLoader().getResourceAsStream("linux-x64/libasyncProfiler.so")) {
                if (library == null) {
                    throw new IllegalStateException("profile needs tools.profiler:async-profiler on the class path (the bench-e2e profile)");
                }
                profiler = work.resolve("libasyncProfiler.so");
                Files.copy(library, profiler, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String[] labels = { "bundle", "sandbox" };
        for (BundleProcess process : processes) {
            agent(process, event.equals("alloc") ? "start,event=alloc" : "start,event=" + event + ",interval=5ms,threads");
        }
        return () -> {
            for (int i = 0; i < processes.length; i++) {
                Path out = work.resolve("profiles").resolve(name.replace(".csv", "") + "-" + labels[i] + "-" + event);
                Files.createDirectories(out.getParent());
                String weight = event.equals("alloc") ? ",total" : "";
                agent(processes[i], "dump,collapsed" + weight + ",file=" + out + ".collapsed");
                agent(processes[i], "stop" + weight + ",file=" + out + ".html");
                System.out.println("Profile: " + out + ".collapsed, .html");
            }
        };
    }

    private void agent(BundleProcess process, String command) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(process.pid()));
        try {
            vm.loadAgentPath(profiler.toString(), command);
        } finally {
            vm.detach();
        }
    }

    @FunctionalInterface
    private interface Profiling extends AutoCloseable {
        @Override
        void close() throws Exception;
    }

    // ---- report ----------------------------------------------------------------------------------

    private String report(String started, String loadBefore) throws Exception {
        StringBuilder report = new StringBuilder();
        report.append(String.format("End-to-end benchmark, %s; %s; %s; load average before %s, after %s.%n", started, machine(),
                "JDK " + System.getProperty("java.version"), loadBefore, loadAverage()));
        report.append(String.format("Bundle and baseline: `%s`, %s; the sandbox checks every request against the OpenAPI file: %s; "
                + "ADM_BATCH_MAX_MEMBERS 5000, ADM_BATCH_MAX_WAIT 5s, ADM_DELIVERY_CONCURRENCY 2; %s warm-up records per SFTP run.%n%n",
                options.get("jvm"), PROCESS_ENVIRONMENT, options.get("validate"), options.get("warmupRecords")));
        if (!sftpRows.isEmpty()) {
            report.append("SFTP drop: first byte served by the SFTP server to the last member accepted by the sandbox. CPU s: the bundle's "
                    + "(or the baseline's) for the measured file.\n\n");
            report.append("| run | records | members | accepted by ADM | seconds | of which after the last byte read | records/s | × baseline | CPU s | sandbox CPU s | peak RSS MB | heap used / committed MB (peak) |\n");
            report.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            sftpRows.forEach(row -> report.append(row).append('\n'));
            report.append('\n');
        }
        if (!webhookRows.isEmpty()) {
            report.append(String.format("Webhook: one record per request over %d kept-alive connections, open loop, %s s measured after %s s "
                    + "of warm-up; latency = accepted by the sandbox - request due (about 3%% of the records are rejected and never "
                    + "delivered).%n%n", CONNECTIONS, options.get("seconds"), options.get("warmupSeconds")));
            report.append("| requests/s | achieved | measured | delivered | failed | p50 ms | p99 ms | 202 p50 / p99 ms | CPU s | peak RSS MB | heap used / committed MB (peak) |\n");
            report.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            webhookRows.forEach(row -> report.append(row).append('\n'));
        }
        return report.toString();
    }

    private static String machine() throws Exception {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown CPU");
        long memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) >> 20).orElse(0L);
        return String.format("%d CPUs (%s), %d GB RAM", Runtime.getRuntime().availableProcessors(), model, memory);
    }

    private static String loadAverage() throws IOException {
        String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return load[0] + " " + load[1] + " " + load[2];
    }
}
