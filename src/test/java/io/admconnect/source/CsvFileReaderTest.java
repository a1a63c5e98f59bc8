package io.admconnect.source;

import static io.admconnect.source.Files.bytes;
import static io.admconnect.source.Files.concat;
import static io.admconnect.source.Files.readAll;
import static io.admconnect.source.Files.rec;
import static io.admconnect.source.Files.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import io.admconnect.processor.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CSV drops: RFC 4180 details, per-row rejection with line numbers and recovery, whole-file problems, chunking. */
class CsvFileReaderTest {

    private static final String HEADER = "externalUserId,email,firstName\n";

    @Test
    void quotedFieldsWithDelimitersAndDoubledQuotes() {
        List<SourceRecord> records = readAll("contacts.csv", HEADER
                + "u1,\"a@example.com\",\"Smith, \"\"JJ\"\"\"\n"
                + "u2,b@example.com,Ann\n"
                + "\"u3\",\"\",\"\"\n");
        assertEquals(List.of(
                rec(2, "externalUserId", "u1", "email", "a@example.com", "firstName", "Smith, \"JJ\""),
                rec(3, "externalUserId", "u2", "email", "b@example.com", "firstName", "Ann"),
                rec(4, "externalUserId", "u3")), records);
    }

    @Test
    void quotesInsideAnUnquotedFieldAreText() {
        assertEquals(List.of(rec(2, "externalUserId", "u1", "email", "a\"b@example.com", "firstName", " \"Al\"")),
                readAll("c.csv", HEADER + "u1,a\"b@example.com, \"Al\"\n"));
    }

    @Test
    void anEmbeddedLineBreakKeepsTheRecordOnItsStartingLine() {
        String csv = "externalUserId,address,city\n"
                + "u1,\"12 Main St\n"
                + "Apt 4\",Springfield\n"
                + "u2,5 Elm St,Shelbyville\n"
                + "u3,\"a\n\nb\n\",\"x\"\n"
                + "u4,c,d\n";
        assertEquals(List.of(
                rec(2, "externalUserId", "u1", "address", "12 Main St\nApt 4", "city", "Springfield"),
                rec(4, "externalUserId", "u2", "address", "5 Elm St", "city", "Shelbyville"),
                rec(5, "externalUserId", "u3", "address", "a\n\nb\n", "city", "x"),
                rec(9, "externalUserId", "u4", "address", "c", "city", "d")), readAll("c.csv", csv));
    }

    @Test
    void crlfLineEndsAndCrlfInsideQuotes() {
        String csv = "externalUserId,address,city\r\n"
                + "u1,\"12 Main St\r\nApt 4\",Springfield\r\n"
                + "u2,5 Elm St,Shelbyville\r\n"
                + "\r\n"
                + "u3,x,y";
        assertEquals(List.of(
                rec(2, "externalUserId", "u1", "address", "12 Main St\r\nApt 4", "city", "Springfield"),
                rec(4, "externalUserId", "u2", "address", "5 Elm St", "city", "Shelbyville"),
                rec(6, "externalUserId", "u3", "address", "x", "city", "y")), readAll("c.csv", csv));
    }

    @Test
    void loneCarriageReturnsEndLinesToo() {
        assertEquals(List.of(rec(2, "externalUserId", "u1", "email", "a@x.io", "firstName", "A"),
                        rec(3, "externalUserId", "u2", "email", "b@x.io", "firstName", "B")),
                readAll("c.csv", "externalUserId,email,firstName\ru1,a@x.io,A\ru2,b@x.io,B\r"));
    }

    @Test
    void aUtf8ByteOrderMarkIsSkipped() {
        byte[] file = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(HEADER + "u1,é@example.com,Zoë\n"));
        assertEquals(List.of(rec(2, "externalUserId", "u1", "email", "é@example.com", "firstName", "Zoë")),
                readAll("c.csv", new ByteArrayInputStream(file), null, null));
    }

    @Test
    void aSemicolonDelimiter() {
        String csv = "externalUserId;email;consent.userData\n"
                + "u1;a@example.com;GRANTED\n"
                + "u2;\"b;c@example.com\";no\n"
                + "u3,x;y;z\n";
        assertEquals(List.of(
                rec(2, "externalUserId", "u1", "email", "a@example.com", "consent.userData", "GRANTED"),
                rec(3, "externalUserId", "u2", "email", "b;c@example.com", "consent.userData", "no"),
                rec(4, "externalUserId", "u3,x", "email", "y", "consent.userData", "z")),
                readAll("c.csv", utf8(csv), null, RecordFileOptions.defaults().withDelimiter(';')));
    }

    @Test
    void aTabDelimiterAndWhitespaceAroundQuotedFields() {
        String csv = "externalUserId\temail\tfirstName\n"
                + "u1\t\"a@example.com\"  \t\n"
                + "u2\t b \t\"c\" \n";
        assertEquals(List.of(
                rec(2, "externalUserId", "u1", "email", "a@example.com"),
                rec(3, "externalUserId", "u2", "email", " b ", "firstName", "c")),
                readAll("c.csv", utf8(csv), null, RecordFileOptions.defaults().withDelimiter('\t')));
    }

    @Test
    void rowsWithTheWrongNumberOfFieldsAreRejectedWithTheirLineAndTheRestContinues() {
        String csv = HEADER
                + "u1,a@example.com,Ann\n"
                + "u2,b@example.com\n"
                + "u3,c@example.com,Cid,extra\n"
                + "u4,d@example.com,Dee\n"
                + ",,\n";
        assertEquals(List.of(
                rec(2, "externalUserId", "u1", "email", "a@example.com", "firstName", "Ann"),
                SourceRecord.malformed(3),
                SourceRecord.malformed(4),
                rec(5, "externalUserId", "u4", "email", "d@example.com", "firstName", "Dee"),
                rec(6)), readAll("c.csv", csv));
    }

    @Test
    void textAfterAClosingQuoteRejectsOnlyThatRow() {
        String csv = HEADER
                + "u1,\"a@example.com\"x,Ann\n"
                + "u2,b@example.com,Bo\n";
        assertEquals(List.of(SourceRecord.malformed(2), rec(3, "externalUserId", "u2", "email", "b@example.com", "firstName", "Bo")),
                readAll("c.csv", csv));
    }

    @Test
    void aStrayQuoteCostsOnlyItsOwnLine() {
        // The quote on line 3 opens a field that the CSV grammar closes only on line 5 (at "Dan"): one broken
        // record of three lines. Only its first line is rejected; lines 4 and 5 are read again as rows.
        String csv = HEADER
                + "u1,a@example.com,Ann\n"
                + "u2,\"b@example.com,Bob\n"
                + "u3,c@example.com,Carol\n"
                + "u4,d@example.com,\"Dan\"\n"
                + "u5,e@example.com,Eve\n";
        assertEquals(List.of(
                rec(2, "externalUserId", "u1", "email", "a@example.com", "firstName", "Ann"),
                SourceRecord.malformed(3),
                rec(4, "externalUserId", "u3", "email", "c@example.com", "firstName", "Carol"),
                rec(5, "externalUserId", "u4", "email", "d@example.com", "firstName", "Dan"),
                rec(6, "externalUserId", "u5", "email", "e@example.com", "firstName", "Eve")), readAll("c.csv", csv));
    }

    @Test
    void anUnterminatedQuoteAtTheEndOfTheFileRejectsItsLineAndRereadsTheRest() {
        String csv = HEADER
                + "u1,a@example.com,Ann\n"
                + "u2,\"b@example.com,Bob\n"
                + "u3,c@example.com,Carol\n"
                + "u4,d@example.com,Dee";
        assertEquals(List.of(
                rec(2, "externalUserId", "u1", "email", "a@example.com", "firstName", "Ann"),
                SourceRecord.malformed(3),
                rec(4, "externalUserId", "u3", "email", "c@example.com", "firstName", "Carol"),
                rec(5, "externalUserId", "u4", "email", "d@example.com", "firstName", "Dee")), readAll("c.csv", csv));
    }

    @Test
    void anUnterminatedQuoteOnTheLastLineEndsTheFileCleanly() {
        assertEquals(List.of(rec(2, "externalUserId", "u1", "email", "a@example.com", "firstName", "Ann"), SourceRecord.malformed(3)),
                readAll("c.csv", HEADER + "u1,a@example.com,Ann\nu2,\"b@example.com,Bob\n"));
    }

    @Test
    void blankLinesAreSkippedAndLineNumbersStayPhysical() {
        String csv = "\n  \n" + HEADER + "\n"
                + "u1,a@example.com,Ann\n"
                + " \t \n"
                + "\n"
                + "u2,b@example.com,Bo\n\n\n";
        assertEquals(List.of(
                rec(5, "externalUserId", "u1", "email", "a@example.com", "firstName", "Ann"),
                rec(8, "externalUserId", "u2", "email", "b@example.com", "firstName", "Bo")), readAll("c.csv", csv));
    }

    @ParameterizedTest
    @ValueSource(strings = {"externalUserId,email\n", "externalUserId,email", "\uFEFFexternalUserId,email\r\n\r\n  \n", "", "\uFEFF", "\n\n \n"})
    void headerOnlyAndEmptyFilesHaveNoRecords(String content) throws IOException {
        try (RecordFileReader reader = RecordFileReader.open(utf8(content), "empty.csv", null)) {
            assertFalse(reader.hasNext());
            assertThrows(NoSuchElementException.class, reader::next);
            assertEquals(0, reader.recordsRead());
        }
    }

    @Test
    void headerNamesAreTrimmedAndUnnamedColumnsIgnored() {
        assertEquals(List.of(rec(2, "externalUserId", "u1", "email", "a@example.com")),
                readAll("c.csv", "\" externalUserId \",\"email\" ,\nu1,a@example.com,ignored\n"));
    }

    // ------------------------------------------------------------------------------------------ mapping

    @Test
    void aMappingReadsNativeColumnsIncludingDottedOnes() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: `Contact ID`
                email: Email
                firstName: firstWord(Name)
                lastName: lastWords(Name)
                consent.userData: consent.userData
                countryCode: Country | 'US'
                """);
        String csv = "Contact ID,Email,Name,consent.userData,Country\n"
                + "c-1,a@example.com,Mary Ann Smith,yes,\n"
                + "c-2,,Bo,no,DE\n";
        assertEquals(List.of(
                rec(2, "externalUserId", "c-1", "email", "a@example.com", "firstName", "Mary", "lastName", "Ann Smith",
                        "consent.userData", "yes", "countryCode", "US"),
                rec(3, "externalUserId", "c-2", "firstName", "Bo", "consent.userData", "no", "countryCode", "DE")),
                readAll("export.csv", csv, mapping));
    }

    @Test
    void noExternalUserIdColumnAfterMappingMakesTheFileUnusable() {
        UnusableFileException identity = assertThrows(UnusableFileException.class,
                () -> RecordFileReader.open(utf8("email,firstName\na@example.com,Ann\n"), "drop.csv", null));
        assertEquals("drop.csv: no externalUserId column after mapping (the header must name the canonical columns,"
                + " or the route must map them)", identity.getMessage());
        assertEquals("drop.csv", identity.fileName());

        UnusableFileException wrongCase = assertThrows(UnusableFileException.class,
                () -> RecordFileReader.open(utf8("ExternalUserID,email\nu1,a@example.com\n"), "drop.csv", FieldMapping.identity()));
        assertEquals("drop.csv: no externalUserId column after mapping (column names are case-sensitive: externalUserId)",
                wrongCase.getMessage());

        UnusableFileException mapped = assertThrows(UnusableFileException.class,
                () -> RecordFileReader.open(utf8("Email,Name\n"), "drop.csv", FieldMapping.parse("externalUserId: Id\nemail: Email")));
        assertEquals("drop.csv: no externalUserId column after mapping", mapped.getMessage());

        UnusableFileException unmapped = assertThrows(UnusableFileException.class,
                () -> RecordFileReader.open(utf8("Id,Email\n"), "drop.csv", FieldMapping.parse("email: Email")));
        assertEquals("drop.csv: the field mapping does not map externalUserId", unmapped.getMessage());
    }

    @Test
    void aFileWithoutHeaderIsUnusableAndTheMessageHoldsNoValues() {
        UnusableFileException error = assertThrows(UnusableFileException.class,
                () -> RecordFileReader.open(utf8("003XX1,jane.doe@example.com,Jane\n"), "noheader.csv", null));
        assertFalse(error.getMessage().contains("jane"), error.getMessage());
        assertFalse(error.getMessage().contains("003XX1"), error.getMessage());
    }

    @Test
    void aRepeatedColumnNameIsUnusable() {
        assertEquals("dup.csv: the header row repeats a column name (column 3)",
                assertThrows(UnusableFileException.class,
                        () -> RecordFileReader.open(utf8("externalUserId,email, email\n"), "dup.csv", null)).getMessage());
    }

    @Test
    void aBrokenHeaderIsUnusable() {
        assertEquals("h.csv: the header row (line 1) cannot be parsed as CSV",
                assertThrows(UnusableFileException.class,
                        () -> RecordFileReader.open(utf8("externalUserId,\"email\"x\nu1,a\n"), "h.csv", null)).getMessage());
    }

    // ------------------------------------------------------------------------------------------ whole file

    @ParameterizedTest
    @ValueSource(strings = {"contacts.txt", "contacts.csv.gz", "contacts.json", "contacts", "contacts.csv.part"})
    void otherFileTypesAreUnusable(String name) {
        Files.TrackedStream in = new Files.TrackedStream(bytes(HEADER));
        UnusableFileException error = assertThrows(UnusableFileException.class, () -> RecordFileReader.open(in, name, null));
        assertEquals(name + ": unsupported file type (expected .csv or .jsonl)", error.getMessage());
        assertTrue(in.closed);
    }

    @Test
    void extensionsMatchInAnyCase() {
        assertEquals(1, readAll("CONTACTS.CSV", HEADER + "u1,a,b\n").size());
        assertEquals(RecordFileReader.Format.CSV, RecordFileReader.formatOf("a.Csv"));
        assertEquals(RecordFileReader.Format.JSONL, RecordFileReader.formatOf("a.JSONL"));
        assertTrue(RecordFileReader.isSupported("x.jsonl"));
        assertFalse(RecordFileReader.isSupported("x.jsonl.tmp"));
    }

    @Test
    void invalidUtf8AtTheStartIsUnusableOnOpen() {
        byte[] latin1 = concat(bytes(HEADER), new byte[] {'u', '1', ',', 'a', '@', 'x', ',', 'Z', 'o', (byte) 0xEB, '\n'});
        Files.TrackedStream in = new Files.TrackedStream(latin1);
        UnusableFileException error = assertThrows(UnusableFileException.class, () -> RecordFileReader.open(in, "latin1.csv", null));
        assertEquals("latin1.csv: not UTF-8 text (invalid byte sequence in the first 8192 bytes)", error.getMessage());
        assertTrue(in.closed);
    }

    @Test
    void aUtf8SequenceCutAtTheEndOfTheFileIsUnusable() {
        byte[] cut = concat(bytes(HEADER + "u1,a@x.io,Zo"), new byte[] {(byte) 0xC3});
        assertEquals("cut.csv: not UTF-8 text (invalid byte sequence in the first 8192 bytes)",
                assertThrows(UnusableFileException.class, () -> RecordFileReader.open(new ByteArrayInputStream(cut), "cut.csv", null))
                        .getMessage());
    }

    @Test
    void invalidUtf8LaterEndsTheFileAfterTheRecordsBeforeIt() throws IOException {
        StringBuilder good = new StringBuilder(HEADER);
        for (int i = 1; i <= 1500; i++) {
            good.append("u").append(i).append(",user").append(i).append("@example.com,Name").append(i).append('\n');
        }
        // line 1502 holds the bad byte; chunks of 1000: the first chunk is whole, the second ends before line 1502
        byte[] file = concat(bytes(good.toString()), new byte[] {'u', 'x', ',', (byte) 0xFF, ',', 'n', '\n'}, bytes("u9,a,b\n"));
        try (RecordFileReader reader = RecordFileReader.open(new ByteArrayInputStream(file), "late.csv", null)) {
            assertTrue(reader.hasNext());
            List<SourceRecord> first = reader.next();
            assertEquals(1000, first.size());
            assertTrue(reader.hasNext());
            List<SourceRecord> second = reader.next();
            assertEquals(500, second.size());
            assertEquals(1501, second.get(499).position());
            assertTrue(reader.hasNext());
            UnusableFileException error = assertThrows(UnusableFileException.class, reader::next);
            assertEquals("late.csv: not UTF-8 text (invalid byte sequence on line 1502)", error.getMessage());
            assertFalse(reader.hasNext());
            assertEquals(1500, reader.recordsRead());
        }
    }

    @Test
    void invalidUtf8BeforeTheFirstRecordThrowsFromTheFirstNext() throws IOException {
        StringBuilder blank = new StringBuilder(HEADER);
        blank.append("\n".repeat(9000)); // pushes the bad byte past the first block
        byte[] file = concat(bytes(blank.toString()), new byte[] {'u', '1', ',', (byte) 0xC0, (byte) 0xAF, ',', 'x', '\n'});
        try (RecordFileReader reader = RecordFileReader.open(new ByteArrayInputStream(file), "bad.csv", null)) {
            assertTrue(reader.hasNext());
            assertEquals("bad.csv: not UTF-8 text (invalid byte sequence on line 9002)",
                    assertThrows(UnusableFileException.class, reader::next).getMessage());
            assertEquals(0, reader.recordsRead());
        }
    }

    @Test
    void binaryDataIsUnusable() {
        byte[] binary = concat(bytes("externalUserId,email\n"), new byte[] {0, 1, 2, 3, 0, 0, 'x', '\n'});
        assertEquals("blob.csv: not text (binary data: NUL bytes in the first 8192 bytes)",
                assertThrows(UnusableFileException.class, () -> RecordFileReader.open(new ByteArrayInputStream(binary), "blob.csv", null))
                        .getMessage());
        byte[] gzip = {(byte) 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
        assertThrows(UnusableFileException.class, () -> RecordFileReader.open(new ByteArrayInputStream(gzip), "zipped.csv", null));
    }

    @Test
    void utf16IsUnusable() {
        byte[] utf16 = "\uFEFFexternalUserId,email\nu1,a@example.com\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        assertEquals("w.csv: not UTF-8 text (UTF-16 byte order mark)",
                assertThrows(UnusableFileException.class, () -> RecordFileReader.open(new ByteArrayInputStream(utf16), "w.csv", null))
                        .getMessage());
    }

    @Test
    void aStreamFailureMidFileSurfacesAfterTheRecordsBeforeIt() throws IOException {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 600; i++) {
            csv.append("u").append(i).append(",user").append(i).append("@example.com,Name\n");
        }
        byte[] file = bytes(csv.toString());
        java.io.InputStream failing = new java.io.InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at >= 12_000) {
                    throw new IOException("connection reset");
                }
                int n = Math.min(Math.min(len, 1000), 12_000 - at);
                System.arraycopy(file, at, b, off, n);
                at += n;
                return n;
            }
        };
        try (RecordFileReader reader = RecordFileReader.open(failing, "sftp.csv", null)) {
            assertTrue(reader.hasNext());
            List<SourceRecord> chunk = reader.next();
            assertTrue(chunk.size() > 200 && chunk.size() < 600, String.valueOf(chunk.size()));
            assertTrue(reader.hasNext());
            java.io.UncheckedIOException error = assertThrows(java.io.UncheckedIOException.class, reader::next);
            assertTrue(error.getMessage().startsWith("sftp.csv: cannot read the file (near line "), error.getMessage());
            assertEquals("connection reset", error.getCause().getMessage());
            assertFalse(reader.hasNext());
        }
    }

    // ------------------------------------------------------------------------------------------ size limits

    @Test
    void aLineOverTheLimitIsRejectedAndTheNextRowRead() {
        RecordFileOptions options = RecordFileOptions.defaults().withMaxRecordChars(40);
        String csv = HEADER
                + "u1," + "x".repeat(100) + "@example.com,Ann\n"
                + "u2,\"" + "y".repeat(100) + "\",Bo\n"
                + "u3,c@example.com,Cy\r\n"
                + "u4," + "z".repeat(100) + "\r\n"
                + "u5,e@example.com,Eve\n";
        assertEquals(List.of(
                SourceRecord.tooLarge(2),
                SourceRecord.tooLarge(3),
                rec(4, "externalUserId", "u3", "email", "c@example.com", "firstName", "Cy"),
                SourceRecord.tooLarge(5),
                rec(6, "externalUserId", "u5", "email", "e@example.com", "firstName", "Eve")),
                readAll("big.csv", utf8(csv), null, options));
    }

    @Test
    void aMultiLineRecordOverTheLimitRejectsItsFirstLineAndRereadsTheRest() {
        RecordFileOptions options = RecordFileOptions.defaults().withMaxRecordChars(60);
        // the open quote on line 2 would swallow everything; at 60 characters the reader gives up on it
        String csv = HEADER
                + "u1,\"a@example.com,Ann\n"
                + "u2,b@example.com,Bo\r\n"
                + "u3,c@example.com,Cy\n"
                + "u4,d@example.com,Dee\n"
                + "u5,e@example.com,Eve\n";
        assertEquals(List.of(
                SourceRecord.tooLarge(2),
                rec(3, "externalUserId", "u2", "email", "b@example.com", "firstName", "Bo"),
                rec(4, "externalUserId", "u3", "email", "c@example.com", "firstName", "Cy"),
                rec(5, "externalUserId", "u4", "email", "d@example.com", "firstName", "Dee"),
                rec(6, "externalUserId", "u5", "email", "e@example.com", "firstName", "Eve")),
                readAll("big.csv", utf8(csv), null, options));
    }

    @Test
    void aRecordExactlyAtTheLimitIsRead() {
        String row = "u1,annabelle1@example.com,Ann1";
        assertEquals(HEADER.length() - 1, row.length());
        RecordFileOptions options = RecordFileOptions.defaults().withMaxRecordChars(row.length());
        assertEquals(List.of(rec(2, "externalUserId", "u1", "email", "annabelle1@example.com", "firstName", "Ann1"),
                        SourceRecord.tooLarge(3)),
                readAll("c.csv", utf8(HEADER + row + "\n" + row + "x\n"), null, options));
    }

    // ------------------------------------------------------------------------------------------ chunks

    @Test
    void chunksHoldChunkSizeRecordsInFileOrder() throws IOException {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 2500; i++) {
            csv.append(i % 3 == 0 ? "\"u" + i + "\",\"multi\nline\"," : "u" + i + ",a" + i + "@example.com,")
                    .append(i == 1234 ? "too,many" : "N").append('\n');
        }
        List<Integer> sizes = new ArrayList<>();
        List<SourceRecord> all = new ArrayList<>();
        try (RecordFileReader reader = RecordFileReader.open(utf8(csv.toString()), "many.csv", null)) {
            while (reader.hasNext()) {
                List<SourceRecord> chunk = reader.next();
                sizes.add(chunk.size());
                all.addAll(chunk);
                assertEquals(all.size(), reader.recordsRead());
            }
            assertEquals(1, reader.malformedRecords());
            assertEquals(0, reader.blockFallbacks());
            assertEquals(3334, reader.currentLine());
        }
        assertEquals(List.of(1000, 1000, 500), sizes);
        long line = 2;
        for (int i = 1; i <= 2500; i++) {
            SourceRecord record = all.get(i - 1);
            assertEquals(line, record.position());
            if (i == 1234) {
                assertEquals(SourceRecord.malformed(line), record);
            } else {
                assertEquals("u" + i, record.fields().get("externalUserId"));
            }
            line += i % 3 == 0 ? 2 : 1;
        }
    }

    @Test
    void chunkSizeOne() {
        List<SourceRecord> records = readAll("c.csv", utf8(HEADER + "u1,a,b\nu2,c\nu3,d,e\n"), null,
                RecordFileOptions.defaults().withChunkSize(1));
        assertEquals(List.of(rec(2, "externalUserId", "u1", "email", "a", "firstName", "b"), SourceRecord.malformed(3),
                rec(4, "externalUserId", "u3", "email", "d", "firstName", "e")), records);
    }

    @Test
    void closeClosesTheStream() throws IOException {
        Files.TrackedStream in = new Files.TrackedStream(bytes(HEADER + "u1,a,b\n"));
        RecordFileReader reader = RecordFileReader.open(in, "c.csv", null);
        assertFalse(in.closed);
        reader.close();
        assertTrue(in.closed);
        assertFalse(reader.hasNext());
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> RecordFileOptions.defaults().withDelimiter('"'));
        assertThrows(IllegalArgumentException.class, () -> RecordFileOptions.defaults().withDelimiter('\n'));
        assertThrows(IllegalArgumentException.class, () -> RecordFileOptions.defaults().withChunkSize(0));
        assertThrows(IllegalArgumentException.class, () -> RecordFileOptions.defaults().withMaxRecordChars(0));
        assertEquals(new RecordFileOptions(',', 1000, 1_000_000), RecordFileOptions.defaults());
    }
}
