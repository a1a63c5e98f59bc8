package io.admconnect.source;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.admconnect.batching.MemberStore;
import io.admconnect.batching.StoreException;
import io.admconnect.normalize.IdentityField;
import io.admconnect.normalize.IdentityNormalizer;
import io.admconnect.processor.NormalizeHashConsent;
import io.admconnect.processor.ProcessedRecords;
import io.admconnect.processor.SourceRecord;
import io.admconnect.sandbox.AdmSandbox;
import io.admconnect.store.StoreDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.master.MasterEndpoint;
import org.apache.camel.model.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped SFTP drop ({@code routes/sftp.yaml}, unchanged) against a real SFTP server (embedded Apache
 * MINA SSHD, {@link SftpServer}), followed into the embedded ADM sandbox: exact hashed members, where each
 * file ends up, rejected rows, files still being written, reused names, a store outage mid-file, resuming
 * after a crash, and a partner's copy of the route. Runs on the embedded store; {@link SftpSourcePostgresTest}
 * runs the same on PostgreSQL. Every test uses its own file names and external user id prefix.
 */
@QuarkusTest
@WithTestResource(SftpServer.class)
class SftpSourceTest {

    private static final String DATA_SET = SftpServer.DATA_SET;
    private static final IdentityNormalizer NORMALIZER = IdentityNormalizer.amazon();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @SftpServer.Root
    Path root;

    @Inject
    AdmSandbox sandbox;

    @Inject
    MeterRegistry registry;

    @Inject
    MemberStore store;

    @Inject
    NormalizeHashConsent normalizeHashConsent;

    @Inject
    ProcessedFiles processedFiles;

    @Inject
    StoreDataSource dataSource;

    @Inject
    CamelContext camel;

    private final ObjectMapper mapper = new ObjectMapper();
    private final LogCapture logCapture = new LogCapture();
    private final List<String> logLines = logCapture.lines();
    /** Every plaintext identity value a test put into a file: none may show up in the log. */
    private final List<String> plaintexts = new ArrayList<>();

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        logCapture.start();
    }

    @AfterEach
    void noPlaintextInTheLog() {
        logCapture.stop();
        for (String line : logLines) {
            for (String plaintext : plaintexts) {
                assertFalse(line != null && line.contains(plaintext), "the log shows a plaintext value: " + line);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ tests

    @Test
    void aCsvFileWithByteOrderMarkQuotesAndCrlfBecomesExactlyItsMembers() throws Exception {
        plaintexts.addAll(List.of("Jane.Doe@Example.com", "Doe, Jr.", "john@example.com", "John \"JJ\"", "ann@example.com", "Ann\nMarie"));
        double readBefore = counter("adm.file.records.read", "source", "sftp");
        byte[] content = ("\uFEFFexternalUserId,email,firstName,lastName,phone,consent.userData,consent.adStorage\r\n"
                + "csv-1,Jane.Doe@Example.com,Jane,\"Doe, Jr.\",+1 206 555 0100,GRANTED,GRANTED\r\n"
                + "csv-2,\"john@example.com\",\"John \"\"JJ\"\"\",Smith,,granted,denied\r\n"
                + "csv-3,ann@example.com,\"Ann\r\nMarie\",Lee,,DENIED,\r\n").getBytes(StandardCharsets.UTF_8);

        drop("crm-contacts.csv", content);

        awaitMoved("crm-contacts.csv", ".done");
        assertArrayEquals(content, Files.readAllBytes(inbox().resolve(".done/crm-contacts.csv")), "moved unchanged");
        Map<String, AdmSandbox.StoredMember> members = awaitMembers("csv-", 3);
        // The email hash, computed independently: Amazon's normalization of this address is lower case.
        assertEquals(sha256("jane.doe@example.com"), members.get("csv-1").member().path("userIdentity").path("hashedPiis").get(0).path("em").asText());
        assertEquals(identity(Map.of(IdentityField.EMAIL, "Jane.Doe@Example.com", IdentityField.FIRST_NAME, "Jane",
                IdentityField.LAST_NAME, "Doe, Jr.", IdentityField.PHONE, "+1 206 555 0100")), hashedPii(members.get("csv-1")));
        assertEquals(identity(Map.of(IdentityField.EMAIL, "john@example.com", IdentityField.FIRST_NAME, "John \"JJ\"",
                IdentityField.LAST_NAME, "Smith")), hashedPii(members.get("csv-2")));
        assertEquals(identity(Map.of(IdentityField.EMAIL, "ann@example.com", IdentityField.FIRST_NAME, "Ann\r\nMarie",
                IdentityField.LAST_NAME, "Lee")), hashedPii(members.get("csv-3")));
        assertEquals("CREATE", members.get("csv-1").action());
        assertEquals(json("{\"amznAdStorage\":\"GRANTED\",\"amznUserData\":\"GRANTED\"}"), amzn(members.get("csv-1")));
        assertEquals(json("{\"amznAdStorage\":\"DENIED\",\"amznUserData\":\"GRANTED\"}"), amzn(members.get("csv-2")));
        assertEquals("DELETE", members.get("csv-3").action(), "consent to use the data withdrawn: the member is removed");
        assertEquals(3, counter("adm.file.records.read", "source", "sftp") - readBefore);
        assertTrue(logLines.stream().anyMatch(line -> line.startsWith("File crm-contacts.csv: 3 records read, 0 rejected, 3 members stored")
                && line.endsWith("moved to .done/crm-contacts.csv")), "one summary line per file");
    }

    @Test
    void jsonLinesWithNestedConsentBecomeExactlyTheirMembers() throws Exception {
        plaintexts.addAll(List.of("lines.one@example.com", "+44 20 7946 0958"));
        byte[] content = ("{\"externalUserId\":\"jl-1\",\"email\":\"lines.one@example.com\",\"consent\":{\"userData\":\"GRANTED\",\"adStorage\":\"GRANTED\"}}\n"
                + "\n"
                + "{\"externalUserId\":\"jl-2\",\"phone\":\"+44 20 7946 0958\",\"countryCode\":\"GB\",\"consent\":{\"userData\":\"GRANTED\",\"adStorage\":\"GRANTED\"}}\n")
                .getBytes(StandardCharsets.UTF_8);

        drop("events.jsonl", content);

        awaitMoved("events.jsonl", ".done");
        Map<String, AdmSandbox.StoredMember> members = awaitMembers("jl-", 2);
        assertEquals(identity(Map.of(IdentityField.EMAIL, "lines.one@example.com")), hashedPii(members.get("jl-1")));
        assertEquals(sha256("lines.one@example.com"), hashedPii(members.get("jl-1")).path("em").asText());
        ObjectNode phone = mapper.createObjectNode().put("ph", NORMALIZER.hash(IdentityField.PHONE, "+44 20 7946 0958", "GB"));
        assertEquals(phone, hashedPii(members.get("jl-2")));
        assertEquals("GB", members.get("jl-2").member().path("userConsent").path("geo").path("countryCode").asText());
    }

    @Test
    void filesWithoutRecordsAreDoneAtOnce() throws Exception {
        drop("empty.jsonl", new byte[0]);
        drop("header-only.csv", "externalUserId,email,consent.userData\r\n".getBytes(StandardCharsets.UTF_8));

        awaitMoved("empty.jsonl", ".done");
        awaitMoved("header-only.csv", ".done");
        assertTrue(logLines.stream().anyMatch(line -> line.startsWith("File header-only.csv: 0 records read, 0 rejected, 0 members stored")));
    }

    @Test
    void malformedRowsAreRejectedOnTheirOwnWithTheirLineAndTheCountsAddUp() throws Exception {
        plaintexts.addAll(List.of("row.two@example.com", "row.four@example.com", "row.five@example.com", "row.six@example.com"));
        double receivedBefore = counter("adm.records.received", "source", "sftp");
        double malformedBefore = rejected("malformed_record");
        double noConsentBefore = rejected("no_consent");
        byte[] content = ("externalUserId,email,consent.userData\n"
                + "bad-2,row.two@example.com,GRANTED\n"                 // line 2
                + "bad-3,row.three@example.com\n"                       // line 3: a field missing
                + "bad-4,row.four@example.com,GRANTED\n"                // line 4
                + "bad-5,row.five@example.com,\n"                       // line 5: no consent
                + "bad-6,row.six@example.com,GRANTED,surplus\n"         // line 6: a field too many
                + "bad-7,row.seven@example.com,GRANTED\n").getBytes(StandardCharsets.UTF_8);
        plaintexts.addAll(List.of("row.three@example.com", "row.seven@example.com"));

        drop("with-bad-rows.csv", content);

        awaitMoved("with-bad-rows.csv", ".done");
        assertEquals(Set.of("bad-2", "bad-4", "bad-7"), awaitMembers("bad-", 3).keySet());
        assertEquals(6, counter("adm.records.received", "source", "sftp") - receivedBefore);
        assertEquals(2, rejected("malformed_record") - malformedBefore);
        assertEquals(1, rejected("no_consent") - noConsentBefore);
        assertTrue(logLines.contains("File with-bad-rows.csv line 3: rejected (malformed_record)"), String.join("\n", logLines));
        assertTrue(logLines.contains("File with-bad-rows.csv line 5: rejected (no_consent)"));
        assertTrue(logLines.contains("File with-bad-rows.csv line 6: rejected (malformed_record)"));
        // received = rejected + uploaded + dead-lettered + in flight, for everything this source sent
        await().atMost(WAIT).untilAsserted(() -> assertEquals(counter("adm.records.received", "source", "sftp"),
                counter("adm.records.rejected", "source", "sftp") + counter("adm.members.uploaded", "data_set", DATA_SET)
                        + counter("adm.members.dead_lettered", "data_set", DATA_SET) + store.membersInFlight(DATA_SET)));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("adm_file_records_read_total{source=\"sftp\"}"))
                .body(org.hamcrest.Matchers.containsString("adm_file_members_stored_total{source=\"sftp\"}"))
                .body(org.hamcrest.Matchers.containsString("adm_files_total{outcome=\"done\",source=\"sftp\"}"));
    }

    @Test
    void unusableFilesMoveToErrorAndNothingOfThemIsStored() throws Exception {
        double errorsBefore = counter("adm.files", "outcome", "error");
        byte[] latin1 = "externalUserId,email,lastName,consent.userData\nlat-1,latin@example.com,M\u00fcller,GRANTED\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] noExternalUserId = "id,email,consent.userData\nnoid-1,noid@example.com,GRANTED\n".getBytes(StandardCharsets.UTF_8);

        // Invalid UTF-8 far into a file: the records before it are stored already, the file is unusable all the same.
        StringBuilder late = new StringBuilder("externalUserId,email,consent.userData\n");
        for (int i = 0; i < 1500; i++) {
            late.append("late-").append(i).append(",late").append(i).append("@example.com,GRANTED\n");
        }
        byte[] lateLatin1 = (late + "late-x,late-x@example.com,GRANTED,M\u00fcller\n").getBytes(StandardCharsets.ISO_8859_1);

        drop("latin1.csv", latin1);
        drop("no-external-user-id.csv", noExternalUserId);
        drop("late-latin1.csv", lateLatin1);

        awaitMoved("latin1.csv", ".error");
        awaitMoved("no-external-user-id.csv", ".error");
        awaitMoved("late-latin1.csv", ".error");
        assertArrayEquals(latin1, Files.readAllBytes(inbox().resolve(".error/latin1.csv")));
        assertFalse(Files.exists(inbox().resolve(".done/latin1.csv")));
        assertEquals(3, counter("adm.files", "outcome", "error") - errorsBefore);
        assertTrue(logLines.contains("File late-latin1.csv is unusable: not UTF-8 text (invalid byte sequence on line 1502); moved to"
                + " .error/late-latin1.csv"), String.join("\n", logLines));
        assertEquals(1500, awaitMembers("late-", 1500).size(), "every record before the bad bytes");
        assertTrue(logLines.contains("File latin1.csv is unusable: not UTF-8 text (invalid byte sequence in the first 8192 bytes); moved to .error/latin1.csv"),
                String.join("\n", logLines));
        assertTrue(logLines.stream().anyMatch(line -> line.startsWith("File no-external-user-id.csv is unusable: no externalUserId column")));
        Thread.sleep(1000); // anything stored would be uploaded by now (the test profile batches for 300 ms)
        assertEquals(Map.of(), members("lat-"));
        assertEquals(Map.of(), members("noid-"));
    }

    @Test
    void filesStillBeingWrittenAreLeftAlone() throws Exception {
        byte[] content = "externalUserId,email,consent.userData\nwip-1,wip@example.com,GRANTED\n".getBytes(StandardCharsets.UTF_8);
        List<String> inProgress = List.of(".hidden.csv", "upload.csv.part", "upload.csv.tmp", "notes.txt");
        for (String name : inProgress) {
            Files.write(inbox().resolve(name), content);
        }

        drop("after-the-others.csv", "externalUserId,email,consent.userData\nwip-2,wip2@example.com,GRANTED\n".getBytes(StandardCharsets.UTF_8));

        awaitMoved("after-the-others.csv", ".done");
        awaitMembers("wip-", 1);
        Thread.sleep(1000); // a few more polls
        for (String name : inProgress) {
            assertArrayEquals(content, Files.readAllBytes(inbox().resolve(name)), name + " is left alone");
            Files.delete(inbox().resolve(name));
        }
        assertEquals(Set.of("wip-2"), members("wip-").keySet());
    }

    @Test
    void aNewFileReusingAnOldNameIsNewWhileTheSameFileAgainIsNotStoredTwice() throws Exception {
        FileTime monday = FileTime.from(Instant.parse("2026-11-16T06:00:00Z"));
        FileTime tuesday = FileTime.from(Instant.parse("2026-11-17T06:00:00Z"));
        byte[] first = "externalUserId,email,consent.userData\nweek-1,one@example.com,GRANTED\n".getBytes(StandardCharsets.UTF_8);
        byte[] second = ("externalUserId,email,consent.userData\nweek-1,one.new@example.com,GRANTED\nweek-2,two@example.com,GRANTED\n")
                .getBytes(StandardCharsets.UTF_8);

        drop("weekly.csv", first, monday);
        awaitMoved("weekly.csv", ".done");
        awaitMembers("week-", 1);

        drop("weekly.csv", second, tuesday);
        awaitMoved("weekly.csv", ".done");
        await().atMost(WAIT).until(() -> members("week-").size() == 2 && members("week-").get("week-1").timesAccepted() == 2);
        assertEquals(identity(Map.of(IdentityField.EMAIL, "one.new@example.com")), hashedPii(members("week-").get("week-1")),
                "the new content");

        double readBefore = counter("adm.file.records.read", "source", "sftp");
        drop("weekly.csv", second, tuesday); // the very same file once more: same name, size and time
        awaitMoved("weekly.csv", ".done");
        Thread.sleep(1000);
        assertEquals(0, counter("adm.file.records.read", "source", "sftp") - readBefore, "not read again");
        assertEquals(2, members("week-").get("week-1").timesAccepted());
        assertEquals(1, members("week-").get("week-2").timesAccepted());
    }

    @Test
    void aStoreOutageMidFileLeavesTheFileWhereItIsAndTheNextPollResumesBehindWhatWasStored() throws Exception {
        double retriesBefore = counter("adm.files", "outcome", "retry");
        StringBuilder csv = new StringBuilder("externalUserId,email,consent.userData\n");
        for (int i = 0; i < 2500; i++) {
            csv.append("out-").append(i).append(",out").append(i).append("@example.com,GRANTED\n");
        }
        // The store refuses the second chunk of this file (its checkpoint would pass 1,000 records).
        sql("alter table processed_file add constraint outage_test check (file_name <> 'outage.csv' or records <= 1000)");
        try {
            drop("outage.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> counter("adm.files", "outcome", "retry") - retriesBefore >= 2);
            assertTrue(Files.exists(inbox().resolve("outage.csv")), "neither .done/ nor .error/: nothing was acknowledged");
            assertFalse(Files.exists(inbox().resolve(".error/outage.csv")));
            assertFalse(Files.exists(inbox().resolve(".done/outage.csv")));
            assertEquals(1000, awaitMembers("out-", 1000).size(), "the first chunk was stored");
        } finally {
            sql("alter table processed_file drop constraint outage_test");
        }

        awaitMoved("outage.csv", ".done");
        Map<String, AdmSandbox.StoredMember> members = awaitMembers("out-", 2500);
        members.forEach((id, member) -> assertEquals(1, member.timesAccepted(), id + " was stored more than once"));
        assertTrue(logLines.stream().anyMatch(line -> line.equals("File outage.csv: resuming behind line 1001 (its first 1000 records are stored)")),
                String.join("\n", logLines));
    }

    @Test
    void afterACrashMidFileTheRestartedRouteStoresOnlyTheRest() throws Exception {
        StringBuilder csv = new StringBuilder("externalUserId,email,consent.userData\n");
        for (int i = 0; i < 10; i++) {
            csv.append("crash-").append(i).append(",crash").append(i).append("@example.com,GRANTED\n");
        }
        byte[] content = csv.toString().getBytes(StandardCharsets.UTF_8);
        FileTime modified = FileTime.from(Instant.parse("2026-11-18T06:00:00Z"));
        // The run that crashed stored the first five records (lines 2 to 6) with their checkpoint, then died.
        FileKey key = new FileKey("sftp", "crash.csv", content.length, modified.toMillis());
        List<SourceRecord> firstFive = records("crash.csv", csv.toString()).subList(0, 5);
        ProcessedRecords stored = normalizeHashConsent.process(firstFive, DATA_SET, "sftp");
        store.append(DATA_SET, "sftp", stored.members(),
                new ProcessedFiles.Checkpoint(key, ProcessedFiles.Stored.NOTHING, new ProcessedFiles.Stored(6, 5, false, true)));
        double readBefore = counter("adm.file.records.read", "source", "sftp");

        drop("crash.csv", content, modified);

        awaitMoved("crash.csv", ".done");
        Map<String, AdmSandbox.StoredMember> members = awaitMembers("crash-", 10);
        members.forEach((id, member) -> assertEquals(1, member.timesAccepted(), id + " was stored more than once"));
        assertEquals(5, counter("adm.file.records.read", "source", "sftp") - readBefore, "only the rest was read into the pipeline");
        assertEquals(new ProcessedFiles.Stored(11, 10, true, true), processedFiles.find(key));
    }

    @Test
    void aFileStoredCompletelyButNotMovedBeforeACrashIsJustMoved() throws Exception {
        String csv = "externalUserId,email,consent.userData\nmoved-1,moved1@example.com,GRANTED\nmoved-2,moved2@example.com,GRANTED\n";
        byte[] content = csv.getBytes(StandardCharsets.UTF_8);
        FileTime modified = FileTime.from(Instant.parse("2026-11-19T06:00:00Z"));
        FileKey key = new FileKey("sftp", "stored.csv", content.length, modified.toMillis());
        List<SourceRecord> all = records("stored.csv", csv);
        ProcessedFiles.Stored through = new ProcessedFiles.Stored(3, 2, false, true);
        store.append(DATA_SET, "sftp", normalizeHashConsent.process(all, DATA_SET, "sftp").members(),
                new ProcessedFiles.Checkpoint(key, ProcessedFiles.Stored.NOTHING, through));
        processedFiles.complete(key, through);
        awaitMembers("moved-", 2);
        double readBefore = counter("adm.file.records.read", "source", "sftp");

        drop("stored.csv", content, modified);

        awaitMoved("stored.csv", ".done");
        Thread.sleep(1000);
        assertEquals(0, counter("adm.file.records.read", "source", "sftp") - readBefore);
        members("moved-").forEach((id, member) -> assertEquals(1, member.timesAccepted(), id + " was stored again"));
    }

    @Test
    void aSecondReaderOfTheSameFileCannotStoreWhatTheFirstStored() throws Exception {
        String csv = "externalUserId,email,consent.userData\ntwice-1,twice1@example.com,GRANTED\ntwice-2,twice2@example.com,GRANTED\n";
        FileKey key = new FileKey("sftp", "twice.csv", csv.length(), 1_700_000_000_000L);
        List<SourceRecord> records = records("twice.csv", csv);
        ProcessedFiles.Stored through = new ProcessedFiles.Stored(3, 2, false, true);
        store.append(DATA_SET, "sftp", normalizeHashConsent.process(records.subList(0, 1), DATA_SET, "sftp").members(),
                new ProcessedFiles.Checkpoint(key, ProcessedFiles.Stored.NOTHING, new ProcessedFiles.Stored(2, 1, false, true)));

        // Both started from nothing stored: the second insert of the file's row fails, with its members.
        assertThrows(StoreException.class, () -> store.append(DATA_SET, "sftp",
                normalizeHashConsent.process(records, DATA_SET, "sftp").members(),
                new ProcessedFiles.Checkpoint(key, ProcessedFiles.Stored.NOTHING, through)));
        // A reader that is behind (it saw the file at an older checkpoint) fails the same way.
        assertThrows(StoreException.class, () -> store.append(DATA_SET, "sftp",
                normalizeHashConsent.process(records.subList(1, 2), DATA_SET, "sftp").members(),
                new ProcessedFiles.Checkpoint(key, new ProcessedFiles.Stored(1, 0, false, true), through)));

        assertEquals(new ProcessedFiles.Stored(2, 1, false, true), processedFiles.find(key));
        Map<String, AdmSandbox.StoredMember> members = awaitMembers("twice-", 1);
        Thread.sleep(1000);
        assertEquals(Set.of("twice-1"), members("twice-").keySet(), "nothing of the failed appends was stored");
        assertEquals(1, members.get("twice-1").timesAccepted());
    }

    @Test
    void aPartnerCopiesTheRouteFileForAnotherDropWithItsOwnMappingAndDelimiter() throws Exception {
        String partner = shippedDropAs("partner-drop", "partner", "crm_sftp_partner")
                .replace("\"{{sftp.delimiter:,}}\"", "\";\"")
                .replace("{{sftp.mapping:}}", "externalUserId: CustomerNo; email: lower(`E-Mail`); consent.userData: OptIn; "
                        + "consent.adStorage: OptIn");
        plaintexts.add("Partner.One@Example.com");
        PartnerRoutes.load(camel, "partner-drop.yaml", partner);
        try {
            Path partnerInbox = root.resolve("partner");
            await().atMost(WAIT).until(() -> Files.isDirectory(partnerInbox));
            drop(partnerInbox, "export.csv", "CustomerNo;E-Mail;OptIn\nP-1;Partner.One@Example.com;yes\n".getBytes(StandardCharsets.UTF_8), null);

            awaitMoved(partnerInbox, "export.csv", ".done");
            await().atMost(WAIT).until(() -> sandbox.dataSet("crm_sftp_partner") != null && sandbox.dataSet("crm_sftp_partner").acceptedCount() == 1);
            AdmSandbox.StoredMember member = sandbox.dataSet("crm_sftp_partner").members().get("P-1");
            assertEquals(mapper.createObjectNode().put("em", sha256("partner.one@example.com")), hashedPii(member));
            assertEquals(1, counter("adm.file.records.read", "source", "partner-drop"));
        } finally {
            PartnerRoutes.unload(camel, "partner-drop");
        }
    }

    @Test
    void thePartnerGuidesSecondDropMapsItsOwnColumnsIntoExactlyItsMembers() throws Exception {
        plaintexts.addAll(List.of("Ann.Lee@Example.com", "Ann Marie Lee", "+1 206 555 0123", "98101", "bob@example.com", "Bob Smith", "10001"));
        String file = "CustomerNo;E-Mail;Name;Mobile;ZIP;Country;OptIn\n"
                + "L-1;Ann.Lee@Example.com;Ann Marie Lee;+1 206 555 0123;98101;;yes\n"
                + "L-2;bob@example.com;Bob Smith;;10001;US;no\n";
        PartnerRoutes.load(camel, "loyalty-sftp-drop.yaml", Files.readString(Path.of("routes/examples/loyalty-sftp-drop.yaml")));
        try {
            Path loyalty = root.resolve("loyalty");
            await().atMost(WAIT).until(() -> Files.isDirectory(loyalty));
            FileTime modified = FileTime.from(Instant.parse("2026-11-24T06:00:00Z"));
            drop(loyalty, "loyalty-export.csv", file.getBytes(StandardCharsets.UTF_8), modified);

            awaitMoved(loyalty, "loyalty-export.csv", ".done");
            Map<String, AdmSandbox.StoredMember> members = awaitMembers("crm_loyalty_drop", "L-", 2);
            assertEquals(identity(Map.of(IdentityField.EMAIL, "ann.lee@example.com", IdentityField.PHONE, "+1 206 555 0123",
                    IdentityField.FIRST_NAME, "Ann", IdentityField.LAST_NAME, "Marie Lee", IdentityField.POSTAL_CODE, "98101")),
                    hashedPii(members.get("L-1")));
            assertEquals("CREATE", members.get("L-1").action());
            assertEquals(json("{\"amznAdStorage\":\"GRANTED\",\"amznUserData\":\"GRANTED\"}"), amzn(members.get("L-1")));
            assertEquals(identity(Map.of(IdentityField.EMAIL, "bob@example.com", IdentityField.FIRST_NAME, "Bob",
                    IdentityField.LAST_NAME, "Smith", IdentityField.POSTAL_CODE, "10001")), hashedPii(members.get("L-2")));
            assertEquals("DELETE", members.get("L-2").action(), "consent withdrawn: the member is removed");
            // The Kamelet's source parameter names the source everywhere, and its leadership group.
            assertEquals(2, counter("adm.file.records.read", "source", "loyalty"));
            assertEquals(2, counter("adm.records.received", "source", "loyalty"));
            assertEquals(new ProcessedFiles.Stored(3, 2, true, true),
                    processedFiles.find(new FileKey("loyalty", "loyalty-export.csv", file.length(), modified.toMillis())));
            Route poller = PartnerRoutes.kameletRouteOf(camel, "loyalty-drop");
            assertEquals("loyalty", ((MasterEndpoint) poller.getEndpoint()).getNamespace());
            assertEquals("adm-file-drop", camel.getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteDefinition(poller.getRouteId()).getRouteConfigurationId());
            // The password travels in endpoint URIs: neither the log nor the health checks show it.
            assertTrue(logLines.stream().noneMatch(line -> line != null && line.contains(SftpServer.PASSWORD)), String.join("\n", logLines));
            given().get("/q/health").then().body(not(containsString(SftpServer.PASSWORD)));
        } finally {
            PartnerRoutes.unload(camel, "loyalty-drop");
        }
    }

    @Test
    void aFailingStepOfTheRouteThatUsesTheKameletLeavesTheFileForTheNextPollLoggedOnce() throws Exception {
        plaintexts.add("kept@example.com");
        String route = shippedDropAs("failing-drop", "failing", "crm_sftp_failing")
                .replace("- log:\n            message: \"SFTP file ${header.CamelFileName}: ${body}\"\n            loggingLevel: DEBUG",
                        "- throwException:\n            exceptionType: java.lang.IllegalStateException\n            message: the partner's step failed");
        PartnerRoutes.load(camel, "failing-drop.yaml", route);
        try {
            Path failing = root.resolve("failing");
            await().atMost(WAIT).until(() -> Files.isDirectory(failing));
            drop(failing, "kept.csv", "externalUserId,email,consent.userData\nkept-1,kept@example.com,GRANTED\n".getBytes(StandardCharsets.UTF_8), null);

            await().atMost(WAIT).until(() -> Search.in(registry).name("adm.files").tag("source", "failing-drop").tag("outcome", "retry")
                    .counters().stream().mapToDouble(c -> c.count()).sum() >= 2);
            assertTrue(Files.exists(failing.resolve("kept.csv")), "neither .done/ nor .error/: the route did not finish with it");
            assertFalse(Files.exists(failing.resolve(".error/kept.csv")));
            assertTrue(logLines.stream().anyMatch(line -> line.startsWith("File kept.csv was not finished")
                    && line.endsWith("IllegalStateException: the partner's step failed; it stays for the next poll, which resumes behind the records stored")),
                    String.join("\n", logLines));
            // No error handler in either route (adm-file-drop, and Kamelets have none): Camel does not log it a second time.
            assertTrue(logLines.stream().noneMatch(line -> line != null && line.contains("Failed delivery")), String.join("\n", logLines));
        } finally {
            PartnerRoutes.unload(camel, "failing-drop");
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private Path inbox() {
        return root.resolve(SftpServer.DIRECTORY);
    }

    /** Puts a file into the inbox as writers should: under a name the route leaves alone, then renamed. */
    private void drop(String name, byte[] content) throws IOException {
        drop(inbox(), name, content, null);
    }

    private void drop(String name, byte[] content, FileTime modified) throws IOException {
        drop(inbox(), name, content, modified);
    }

    private static void drop(Path directory, String name, byte[] content, FileTime modified) throws IOException {
        Path part = directory.resolve(name + ".part");
        Files.write(part, content);
        if (modified != null) {
            Files.setLastModifiedTime(part, modified);
        }
        Files.move(part, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitMoved(String name, String folder) {
        awaitMoved(inbox(), name, folder);
    }

    private static void awaitMoved(Path directory, String name, String folder) {
        await().atMost(WAIT).until(() -> !Files.exists(directory.resolve(name))
                && Files.exists(directory.resolve(folder).resolve(name)));
    }

    /** The sandbox's members of the test's data set whose external user id starts with the prefix. */
    private Map<String, AdmSandbox.StoredMember> members(String prefix) {
        return members(DATA_SET, prefix);
    }

    private Map<String, AdmSandbox.StoredMember> members(String dataSet, String prefix) {
        AdmSandbox.DataSet set = sandbox.dataSet(dataSet);
        Map<String, AdmSandbox.StoredMember> members = new TreeMap<>();
        if (set != null) {
            set.members().forEach((id, member) -> {
                if (id.startsWith(prefix)) {
                    members.put(id, member);
                }
            });
        }
        return members;
    }

    private Map<String, AdmSandbox.StoredMember> awaitMembers(String prefix, int count) {
        return awaitMembers(DATA_SET, prefix, count);
    }

    private Map<String, AdmSandbox.StoredMember> awaitMembers(String dataSet, String prefix, int count) {
        await().atMost(WAIT).until(() -> members(dataSet, prefix).size() >= count);
        Map<String, AdmSandbox.StoredMember> members = members(dataSet, prefix);
        assertEquals(count, members.size());
        return members;
    }

    /** A partner's copy of the shipped drop: its own route id and source, folder and data set, switched on. */
    private static String shippedDropAs(String id, String directory, String dataSet) throws IOException {
        return Files.readString(Path.of("routes/sftp.yaml"))
                .replace("id: sftp", "id: " + id)
                .replace("source: sftp", "source: " + id)
                .replace("\"{{adm.source.sftp.enabled}}\"", "\"true\"")
                .replace("{{sftp.directory:}}", directory)
                .replace("\"{{sftp.data-set:}}\"", dataSet);
    }

    /** The records of a file as the route reads them. */
    private static List<SourceRecord> records(String name, String content) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        try (RecordFileReader reader = RecordFileReader.open(new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
                name, null)) {
            reader.forEachRemaining(records::addAll);
        }
        return records;
    }

    private static JsonNode hashedPii(AdmSandbox.StoredMember member) {
        return member.member().path("userIdentity").path("hashedPiis").get(0);
    }

    private static JsonNode amzn(AdmSandbox.StoredMember member) {
        return member.member().path("userConsent").path("consent").path("amzn");
    }

    /** The expected hashed identity: each plaintext value normalized and hashed the Amazon way (country US). */
    private ObjectNode identity(Map<IdentityField, String> plaintext) {
        ObjectNode node = mapper.createObjectNode();
        Map<IdentityField, String> ordered = new LinkedHashMap<>();
        for (IdentityField field : IdentityField.values()) {
            if (plaintext.containsKey(field)) {
                ordered.put(field, plaintext.get(field));
            }
        }
        ordered.forEach((field, value) -> node.put(field.admKey(), NORMALIZER.hash(field, value, "US")));
        return node;
    }

    private JsonNode json(String text) throws IOException {
        return mapper.readTree(text);
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private double counter(String name, String tag, String value) {
        return Search.in(registry).name(name).tag(tag, value).counters().stream()
                .filter(c -> !"adm.files".equals(name) || "sftp".equals(c.getId().getTag("source")))
                .mapToDouble(c -> c.count()).sum();
    }

    private double rejected(String reason) {
        return Search.in(registry).name("adm.records.rejected").tag("source", "sftp").tag("reason", reason).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = dataSource.transaction(); Statement ddl = connection.createStatement()) {
            ddl.execute(statement);
            connection.commit();
        }
    }
}
