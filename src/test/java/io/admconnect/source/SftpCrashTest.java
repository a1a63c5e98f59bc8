package io.admconnect.source;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code kill -9} in the middle of a file, for real: the packaged bundle reads a 300,000-row file from the
 * embedded SFTP server, is killed once it has read 100,000 rows, and is started again on the same embedded
 * store. The second run must resume behind the records the first had stored, read only the rest, and hand
 * every member to ADM exactly once: the first run's ADM answers 429 to every upload (throttling uses up
 * no attempt), so nothing leaves the store before the kill and the second run's sandbox sees all of them.
 * On demand, after packaging:
 *
 * <pre>
 * ./mvnw -B package -DskipTests && ./mvnw -B test -Dtest=SftpCrashTest -DsftpCrashCheck=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "sftpCrashCheck", matches = "true")
class SftpCrashTest {

    private static final int ROWS = 300_000;
    private static final Pattern RESUMED = Pattern.compile("File crash\\.csv: resuming behind line (\\d+) \\(its first (\\d+) records are stored\\)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aKilledBundleResumesTheFileBehindWhatItHadStoredAndDeliversEveryMemberOnce() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(jar), "package the bundle first: ./mvnw -B package -DskipTests");
        SftpServer sftp = new SftpServer();
        Map<String, String> settings = sftp.start();
        Path work = Files.createTempDirectory("sftp-crash");
        try {
            Path inbox = sftp.root().resolve(SftpServer.DIRECTORY);
            Path part = inbox.resolve("crash.csv.part");
            try (BufferedWriter out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                out.write("externalUserId,email,consent.userData,consent.adStorage\n");
                for (int row = 0; row < ROWS; row++) {
                    out.write("c" + row + ",crash." + row + "@example.com,GRANTED,GRANTED\n");
                }
            }

            int port = freePort();
            Process first = start(jar, settings, work, port, work.resolve("first.log"));
            awaitReady(port);
            post(port, "/sandbox/_control/faults", "{\"operation\":\"members\",\"status\":429,\"times\":-1,\"retryAfter\":1}");
            Files.move(part, inbox.resolve("crash.csv"), StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> metric(port, "adm_file_records_read_total{source=\"sftp\"}") >= 100_000);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
            first.waitFor();
            assertTrue(Files.exists(inbox.resolve("crash.csv")), "the killed run did not acknowledge the file");

            Process second = start(jar, settings, work, port, work.resolve("second.log"));
            try {
                awaitReady(port);
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> Files.exists(inbox.resolve(".done/crash.csv")));
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> dataSet(port).path("membersAccepted").asLong() >= ROWS);
                Matcher resumed = RESUMED.matcher(Files.readString(work.resolve("second.log")));
                assertTrue(resumed.find(), "the second run resumed the file");
                long storedBefore = Long.parseLong(resumed.group(2));
                assertEquals(storedBefore + 1, Long.parseLong(resumed.group(1)), "header on line 1, one record per line");
                assertTrue(storedBefore >= 100_000 - 1000 && storedBefore < ROWS, "stored before the kill: " + storedBefore);
                assertEquals(ROWS - storedBefore, metric(port, "adm_file_records_read_total{source=\"sftp\"}"), "only the rest was read");
                Thread.sleep(3000);
                JsonNode dataSet = dataSet(port);
                assertEquals(ROWS, dataSet.path("distinctMembers").asLong(), "every member reached ADM");
                assertEquals(ROWS, dataSet.path("membersAccepted").asLong(), "each exactly once");
                System.out.printf("SftpCrashTest: killed after %d of %d records were stored; the restart read %d and ADM got %d"
                        + " distinct members, each once%n", storedBefore, ROWS, ROWS - storedBefore, ROWS);
            } finally {
                second.destroy();
                second.waitFor();
            }
        } finally {
            sftp.stop();
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The packaged bundle on the sandbox, the embedded store in {@code work}, the SFTP settings as environment. */
    private static Process start(Path jar, Map<String, String> settings, Path work, int port, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment.putAll(SftpServer.asEnvironment(settings));
        environment.put("ADM_SANDBOX", "true");
        environment.put("ADM_DATA_DIR", work.resolve("data").toString());
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        environment.put("SANDBOX_RETAIN_MEMBERS", "false");
        environment.put("SANDBOX_VALIDATE_REQUESTS", "false");
        return builder.start();
    }

    private void awaitReady(int port) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> get(port, "/q/health/ready").statusCode() == 200);
    }

    private JsonNode dataSet(int port) throws Exception {
        for (JsonNode set : mapper.readTree(get(port, "/sandbox/_control/state").body()).path("dataSets")) {
            if (SftpServer.DATA_SET.equals(set.path("name").asText())) {
                return set;
            }
        }
        return mapper.createObjectNode();
    }

    private double metric(int port, String series) throws Exception {
        for (String line : get(port, "/q/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return 0;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void post(int port, String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, response.statusCode() + " " + response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
