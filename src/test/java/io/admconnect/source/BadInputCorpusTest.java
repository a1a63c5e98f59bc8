package io.admconnect.source;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.batching.MemberStore;
import io.admconnect.sandbox.AdmSandbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input}) through the real SFTP drop and the real
 * webhook: every row of the corpus README's two tables gets exactly its documented answer, the counters add
 * up, the good inputs sent after the bad ones reach the ADM sandbox, and no value shows up in the log.
 */
@QuarkusTest
@WithTestResource(SftpServer.class)
class BadInputCorpusTest {

    private static final Path CORPUS = Path.of("src/test/resources/bad-input");
    private static final String WEBHOOK_DATA_SET = "crm_webhook_test";
    private static final String SECRET = "test-webhook-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (.*) \\| (.*) \\|$");
    private static final Pattern REJECTION = Pattern.compile("(line|index) (\\d+) `([a-z_]+)`");
    /** What the route logs per rejected record (FileDrop). */
    private static final Pattern REJECTION_LOG = Pattern.compile("File (\\S+) line (\\d+): rejected \\(([a-z_]+)\\)");

    /** The corpus inputs too big for git, written by the test: what the README's "generated" rows describe. */
    private static final Map<String, Content> GENERATED = Map.of(
            "csv/huge-line.csv", out -> {
                out.write(ascii("externalUserId,email,consent.userData\nhl-1,hl1@example.com,GRANTED\nhl-2,"));
                repeat(out, 'a', 50 * 1024 * 1024);
                out.write(ascii(",GRANTED\nhl-3,hl3@example.com,GRANTED\n"));
            },
            "jsonl/deeply-nested.jsonl", out -> out.write(ascii(
                    "{\"externalUserId\":\"dn-1\",\"email\":\"dn1@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}\n"
                    + "{\"externalUserId\":\"dn-2\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}\n"
                    + "{\"externalUserId\":\"dn-3\",\"email\":" + "[".repeat(30) + "\"dn3@example.com\"" + "]".repeat(30)
                    + ",\"consent\":{\"userData\":\"GRANTED\"}}\n"
                    + "{\"externalUserId\":\"dn-4\",\"email\":\"dn4@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}\n")),
            "jsonl/huge-values.jsonl", out -> {
                out.write(ascii("{\"externalUserId\":\"hv-1\",\"email\":\"hv1@example.com\",\"firstName\":\""));
                repeat(out, 'a', 900_000);
                out.write(ascii("\",\"consent\":{\"userData\":\"GRANTED\"}}\n{\"externalUserId\":\"hv-2\",\"email\":\""));
                repeat(out, 'b', 2_000_000);
                out.write(ascii("@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}\n"
                        + "{\"externalUserId\":\"hv-3\",\"email\":\"hv3@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}\n"));
            },
            "webhook/deeply-nested.json", out -> out.write(ascii("[".repeat(100_000) + "]".repeat(100_000))),
            "webhook/too-many-tokens.json", out -> {
                out.write(ascii("{\"externalUserId\":\"wh-tt-1\",\"email\":\"wh.tt1@example.com\",\"consent\":{\"userData\":\"GRANTED\"}"));
                for (int i = 0; i < 600_000; i++) {
                    out.write(ascii(",\"f" + i + "\":0"));
                }
                out.write('}');
            },
            "webhook/too-many-records.json", out -> {
                out.write('[');
                for (int i = 0; i <= WebhookIntake.MAX_RECORDS; i++) {
                    out.write(ascii((i == 0 ? "" : ",") + "{\"externalUserId\":\"wh-many-" + i + "\"}"));
                }
                out.write(']');
            },
            "webhook/over-10mb.json", out -> repeat(out, ' ', 10 * 1024 * 1024 + 10),
            "webhook/huge-value.json", out -> {
                out.write(ascii("[{\"externalUserId\":\"wh-huge-1\",\"email\":\"wh.huge1@example.com\",\"firstName\":\""));
                repeat(out, 'a', 5_000_000);
                out.write(ascii("\",\"consent\":{\"userData\":\"GRANTED\"}}]"));
            });

    @SftpServer.Root
    Path root;

    @Inject
    AdmSandbox sandbox;

    @Inject
    MeterRegistry registry;

    @Inject
    MemberStore store;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LogCapture logCapture = new LogCapture();
    private final List<String> logLines = logCapture.lines();

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        logCapture.start();
    }

    @AfterEach
    void stopCapture() {
        logCapture.stop();
    }

    @Test
    void everyBadInputGetsItsDocumentedAnswerAndThePipelineKeepsRunning() throws Exception {
        List<Row> rows = readme();
        Set<String> inputs = rows.stream().map(Row::input).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(inputs.containsAll(GENERATED.keySet()), "every generated input has a row");
        inputs.removeAll(GENERATED.keySet());
        assertEquals(corpusFiles(), inputs, "every corpus file has a row, every other row is generated");
        Delivered before = delivered();
        long storedFromFiles = 0;
        long acceptedByWebhook = 0;

        for (Row row : rows) {
            if (row.input().startsWith("webhook/")) {
                acceptedByWebhook += sendRequest(row);
            } else {
                storedFromFiles += dropFile(row);
            }
        }

        // Everything stored reached ADM (or a dead letter): the good inputs sent last included.
        Delivered after = delivered();
        assertEquals(storedFromFiles, after.files() - before.files(), "members stored from the files = uploaded + dead-lettered");
        assertEquals(acceptedByWebhook, after.webhook() - before.webhook(), "webhook members accepted = uploaded + dead-lettered");
        for (String id : List.of("good-csv-1", "good-csv-2", "good-jsonl-1")) {
            assertEquals(1, sandbox.dataSet(SftpServer.DATA_SET).members().get(id).timesAccepted(), id);
        }
        assertEquals(1, sandbox.dataSet(WEBHOOK_DATA_SET).members().get("good-webhook-1").timesAccepted());
        assertEquals(List.of(), logLines.stream().filter(line -> line != null && line.contains("@example.com")).toList(),
                "no value of the corpus in the log");
    }

    // ------------------------------------------------------------------------------------------ files

    /** Drops the file, checks its documented answer and counts; returns how many members it stored. */
    private long dropFile(Row row) throws Exception {
        Matcher outcome = Pattern.compile("`\\.(done|error)/`; (\\d+) stored").matcher(row.answer());
        assertTrue(outcome.find(), "answer of " + row.input() + " reads `.done/` or `.error/`; <n> stored");
        String folder = "." + outcome.group(1);
        long stored = Long.parseLong(outcome.group(2));
        List<String> rejections = rejections(row.answer());
        String name = "corpus-" + row.input().replace('/', '-');
        Counts before = fileCounts();

        Path inbox = root.resolve(SftpServer.DIRECTORY);
        Path part = inbox.resolve(name + ".part");
        try (OutputStream out = Files.newOutputStream(part)) {
            content(row.input()).write(out);
        }
        Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> !Files.exists(inbox.resolve(name))
                && (Files.exists(inbox.resolve(".done").resolve(name)) || Files.exists(inbox.resolve(".error").resolve(name))));

        assertTrue(Files.exists(inbox.resolve(folder).resolve(name)), row.input() + " moved to " + folder + "/");
        Counts after = fileCounts();
        assertEquals(stored, after.stored() - before.stored(), row.input() + ": members stored");
        assertEquals(rejections.size(), after.rejected() - before.rejected(), row.input() + ": records rejected");
        assertEquals(stored + rejections.size(), after.received() - before.received(), row.input() + ": received = rejected + stored");
        assertEquals(rejections, logLines.stream().map(REJECTION_LOG::matcher).filter(m -> m.matches() && m.group(1).equals(name))
                .map(m -> "line " + m.group(2) + " `" + m.group(3) + "`").toList(), row.input() + ": rejections by line");
        return stored;
    }

    private Counts fileCounts() {
        return new Counts(sum("adm.records.received", "sftp"), sum("adm.records.rejected", "sftp"),
                Search.in(registry).name("adm.file.members.stored").tag("source", "sftp").counters().stream().mapToDouble(c -> c.count()).sum());
    }

    // ------------------------------------------------------------------------------------------ webhook requests

    /** Sends the request, checks its documented answer and counts; returns how many members it stored. */
    private long sendRequest(Row row) throws Exception {
        Matcher status = Pattern.compile("^`(\\d{3})`").matcher(row.answer());
        assertTrue(status.find(), "answer of " + row.input() + " starts with the status");
        Matcher acceptedCount = Pattern.compile("(\\d+) accepted").matcher(row.answer());
        long accepted = acceptedCount.find() ? Long.parseLong(acceptedCount.group(1)) : 0;
        boolean replay = row.answer().contains("replay");
        List<String> rejections = rejections(row.answer());
        Counts before = webhookCounts();

        HttpResponse<String> answer = http.send(request(row.how(), bytes(content(row.input()))), HttpResponse.BodyHandlers.ofString());

        String what = row.input() + " (" + row.how() + ")";
        assertEquals(Integer.parseInt(status.group(1)), answer.statusCode(), what + ": " + answer.body());
        long counted = 0;
        if (answer.statusCode() < 300) {
            JsonNode json = mapper.readTree(answer.body());
            assertEquals(accepted, json.path("accepted").asLong(), what);
            List<String> rejected = new ArrayList<>();
            json.path("rejected").forEach(r -> rejected.add("index " + r.path("index").asInt() + " `" + r.path("reason").asText() + "`"));
            assertEquals(rejections, rejected, what);
            assertEquals(replay, json.path("replay").asBoolean(false), what);
            counted = replay ? 0 : accepted + rejections.size();
        }
        assertFalse(answer.body().contains("@example.com"), what + ": the answer echoes no value");
        Counts after = webhookCounts();
        assertEquals(counted, after.received() - before.received(), what + ": records received");
        assertEquals(replay ? 0 : rejections.size(), after.rejected() - before.rejected(), what + ": records rejected");
        return replay ? 0 : accepted;
    }

    private HttpRequest request(String how, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/webhooks/crm"))
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String contentType = switch (how) {
            case "text/plain" -> "text/plain";
            case "form" -> "application/x-www-form-urlencoded";
            default -> "application/json";
        };
        request.header("Content-Type", contentType);
        switch (how) {
            case "unsigned" -> {
            }
            case "wrong signature" -> request.header("X-Signature-256", WebhookSignatures.sign(body, "another-secret"));
            case "signed", "again", "text/plain", "form" -> request.header("X-Signature-256", WebhookSignatures.sign(body, SECRET));
            default -> throw new AssertionError("unknown way of sending in the corpus README: " + how);
        }
        return request.build();
    }

    private Counts webhookCounts() {
        return new Counts(sum("adm.records.received", "webhook"), sum("adm.records.rejected", "webhook"), 0);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private record Row(String input, String how, String answer) {
    }

    private record Counts(double received, double rejected, double stored) {
    }

    /** Members of the corpus's data sets uploaded or dead-lettered, once none is in flight. */
    private record Delivered(double files, double webhook) {
    }

    @FunctionalInterface
    private interface Content {
        void write(OutputStream out) throws IOException;
    }

    /** The rows of the corpus README's tables, in order. */
    private static List<Row> readme() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS.resolve("README.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                rows.add(new Row(row.group(1), row.group(2), row.group(3)));
            }
        }
        return rows;
    }

    private static Set<String> corpusFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            return files.filter(Files::isRegularFile).map(path -> CORPUS.relativize(path).toString())
                    .filter(path -> !path.equals("README.md")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Content content(String input) {
        return GENERATED.getOrDefault(input, out -> Files.copy(CORPUS.resolve(input), out));
    }

    private static byte[] bytes(Content content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        content.write(out);
        return out.toByteArray();
    }

    private static List<String> rejections(String answer) {
        List<String> rejections = new ArrayList<>();
        Matcher rejection = REJECTION.matcher(answer);
        while (rejection.find()) {
            rejections.add(rejection.group(1) + " " + rejection.group(2) + " `" + rejection.group(3) + "`");
        }
        return rejections;
    }

    private Delivered delivered() {
        await().atMost(WAIT).until(() -> store.membersInFlight(SftpServer.DATA_SET) == 0 && store.membersInFlight(WEBHOOK_DATA_SET) == 0);
        return new Delivered(outOfTheStore(SftpServer.DATA_SET), outOfTheStore(WEBHOOK_DATA_SET));
    }

    private double outOfTheStore(String dataSet) {
        return Stream.of("adm.members.uploaded", "adm.members.dead_lettered")
                .flatMap(name -> Search.in(registry).name(name).tag("data_set", dataSet).counters().stream())
                .mapToDouble(c -> c.count()).sum();
    }

    private double sum(String name, String source) {
        return Search.in(registry).name(name).tag("source", source).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void repeat(OutputStream out, char c, long count) throws IOException {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) c);
        for (long left = count; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }
}
