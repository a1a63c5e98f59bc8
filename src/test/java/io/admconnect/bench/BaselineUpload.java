package io.admconnect.bench;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import io.admconnect.adm.AdmConstants;
import io.admconnect.adm.AdmMember;
import io.admconnect.batching.BatchLimits;
import io.admconnect.normalize.IdentityNormalizer;
import io.admconnect.processor.MemberFactory;
import io.admconnect.processor.RecordOutcome;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The baseline of the end-to-end benchmark: the simplest correct program that does the SFTP drop's work
 * without Camel and without a durable store. It downloads the file over SFTP (JSch, the client Camel's
 * sftp component uses), reads it with Commons CSV, turns each row into a member with the project's own
 * {@link MemberFactory}, serializes members with Jackson into {@code {"members":[...]}} batches of
 * {@code maxMembers} per action, and POSTs them to the ADM sandbox with {@code java.net.http}, as many at
 * once as the bundle's delivery concurrency. Run as its own process by {@link EndToEndBenchmark}; prints
 * one JSON line with what it did and its own CPU time and peak RSS.
 *
 * <p>Arguments: sftpHost sftpPort user password knownHostsFile sandboxUrl dataSet maxMembers concurrency remotePath...
 */
public final class BaselineUpload {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String sandboxUrl;
    private final int maxMembers;
    private final int concurrency;
    private final Semaphore uploads;
    private volatile Throwable failure;
    private String token;
    private String dataSetId;

    private BaselineUpload(String sandboxUrl, int maxMembers, int concurrency) {
        this.sandboxUrl = sandboxUrl;
        this.maxMembers = maxMembers;
        this.concurrency = concurrency;
        this.uploads = new Semaphore(concurrency);
    }

    public static void main(String[] args) throws Exception {
        BaselineUpload baseline = new BaselineUpload(args[5], Integer.parseInt(args[7]), Integer.parseInt(args[8]));
        baseline.authenticate(args[6]);
        JSch jsch = new JSch();
        jsch.setKnownHosts(args[4]);
        // One file after the other (a warm-up file first, then the measured one), one line of results each.
        for (String path : Arrays.copyOfRange(args, 9, args.length)) {
            long cpuBefore = cpuNanos();
            Session session = jsch.getSession(args[2], args[0], Integer.parseInt(args[1]));
            session.setPassword(args[3]);
            session.connect();
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect();
            long[] counts;
            try (InputStream in = sftp.get(path)) {
                counts = baseline.upload(in);
            } finally {
                sftp.disconnect();
                session.disconnect();
            }
            System.out.println(MAPPER.createObjectNode().put("file", path).put("records", counts[0]).put("members", counts[1])
                    .put("rejected", counts[0] - counts[1]).put("cpuSeconds", (cpuNanos() - cpuBefore) / 1e9)
                    .put("peakRssMb", ProcessUsage.of(ProcessHandle.current().pid()).peakRssMb()));
        }
    }

    /** An access token from LWA, and the data set's id (created as the bundle would, or found). */
    private void authenticate(String dataSet) throws Exception {
        String form = "grant_type=refresh_token&client_id=sandbox-client&client_secret=sandbox-secret&refresh_token="
                + URLEncoder.encode("Atzr|sandbox-refresh-token", StandardCharsets.UTF_8);
        token = call(HttpRequest.newBuilder(URI.create(sandboxUrl + "/auth/o2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))).path("access_token").asText();
        JsonNode created = call(adm("/adm/audiences", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + dataSet + "\",\"countryCode\":\"US\"}")));
        dataSetId = created.has("dataSetId") ? created.get("dataSetId").asText() : created.path("datasetId").asText();
    }

    /** Reads, converts and uploads every row; returns {records, members}. */
    private long[] upload(InputStream in) throws Exception {
        MemberFactory factory = new MemberFactory(IdentityNormalizer.amazon());
        Map<String, Batch> batches = new HashMap<>();
        long records = 0;
        long members = 0;
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = CSVParser.parse(new InputStreamReader(in, StandardCharsets.UTF_8), format)) {
            for (CSVRecord row : parser) {
                records++;
                if (!row.isConsistent()) {
                    continue; // a row with a column too many or too few is rejected
                }
                if (factory.toMember(row.toMap(), "US") instanceof RecordOutcome.Member member) {
                    members++;
                    AdmMember admMember = member.member();
                    Batch batch = batches.computeIfAbsent(admMember.action(), action -> new Batch());
                    byte[] json = MAPPER.writeValueAsBytes(admMember);
                    if (batch.count == maxMembers || batch.json.size() + json.length + 3 > BatchLimits.MAX_BYTES) {
                        send(batch);
                    }
                    batch.add(json);
                }
            }
        }
        for (Batch batch : batches.values()) {
            if (batch.count > 0) {
                send(batch);
            }
        }
        uploads.acquire(concurrency); // every upload answered
        uploads.release(concurrency);
        if (failure != null) {
            throw new IllegalStateException("an upload failed", failure);
        }
        return new long[] { records, members };
    }

    private void send(Batch batch) throws Exception {
        byte[] body = batch.finish();
        batch.reset();
        uploads.acquire();
        CompletableFuture<HttpResponse<byte[]>> response = HTTP.sendAsync(
                adm("/adm/audiences/" + dataSetId + "/members", AdmConstants.MEMBERS_CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        response.whenComplete((answer, error) -> {
            try {
                if (error != null || answer.statusCode() != 200) {
                    failure = error != null ? error : new IllegalStateException("ADM answered " + answer.statusCode());
                    return;
                }
                if (MAPPER.readTree(answer.body()).path("errors").size() > 0) {
                    failure = new IllegalStateException("ADM refused members of a batch");
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                uploads.release();
            }
        });
    }

    private HttpRequest.Builder adm(String path, String contentType) {
        return HttpRequest.newBuilder(URI.create(sandboxUrl + path)).header("Authorization", "Bearer " + token)
                .header(AdmConstants.CLIENT_ID_HEADER, "sandbox-client").header(AdmConstants.MANAGER_ACCOUNT_HEADER, "bench-manager")
                .header("Content-Type", contentType).header("Accept", contentType + ", application/json");
    }

    private static JsonNode call(HttpRequest.Builder request) throws Exception {
        return MAPPER.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    /** One action's members on their way into a {@code {"members":[...]}} body. */
    private static final class Batch {
        private static final byte[] PREFIX = "{\"members\":[".getBytes(StandardCharsets.UTF_8);
        final ByteArrayOutputStream json = new ByteArrayOutputStream(4 << 20);
        int count;

        Batch() {
            reset();
        }

        void add(byte[] member) {
            if (count++ > 0) {
                json.write(',');
            }
            json.writeBytes(member);
        }

        byte[] finish() {
            json.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            return json.toByteArray();
        }

        void reset() {
            json.reset();
            json.writeBytes(PREFIX);
            count = 0;
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
