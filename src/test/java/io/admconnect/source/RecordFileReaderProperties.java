package io.admconnect.source;

import static io.admconnect.source.Files.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.processor.SourceRecord;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzing the file reader (RecordFileReader with RecordSplitter, CsvRows and StrictUtf8Reader; jqwik, tries:
 * {@code -Dfuzz.tries}, see RELIABILITY.md):
 * <ul>
 * <li>any bytes are read record by record or refused as a whole ({@link UnusableFileException}), never
 * another exception, and no refusal quotes the content;</li>
 * <li>every physical line is accounted for: each is blank, the start of a record (read or rejected), or
 * inside a record that spans lines (a quoted field with line breaks); a rejected record covers its first
 * line only, the reader going on with the next;</li>
 * <li>well-formed CSV and JSON lines, however nasty their values, come back exactly, at their lines.</li>
 * </ul>
 */
class RecordFileReaderProperties {

    private static final String HEADER = "externalUserId,email,firstName";
    private static final List<String> COLUMNS = List.of("externalUserId", "email", "firstName");
    /** Content no message may quote. */
    private static final String CANARY = "QZXJ";
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    /** Pieces that are hard on a CSV or JSON reader: quotes, delimiters, every line end, non-ASCII, a BOM. */
    private static final List<String> PIECES = List.of("a", "b", "7", " ", "\t", ",", ";", "|", "\"", "\"\"", "'", "\r", "\n",
            "\r\n", "é", "ß", "\uD834\uDD1E", "\uFEFF", "{", "}", "[", "]", ":", "\\", "null", CANARY);
    private final ObjectMapper mapper = new ObjectMapper();

    @Property
    void anyBytesAreReadOrRefusedAsAWhole(@ForAll("bytes") byte[] content, @ForAll boolean csv,
            @ForAll @IntRange(min = 1, max = 300) int maxRecordChars, @ForAll @IntRange(min = 1, max = 7) int chunkSize,
            @ForAll @IntRange(min = 1, max = 4096) int bytesPerRead) {
        RecordFileOptions options = RecordFileOptions.defaults().withMaxRecordChars(maxRecordChars).withChunkSize(chunkSize);
        // A download hands out the bytes a few at a time: UTF-8 sequences and line ends get cut anywhere.
        InputStream in = new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return super.read(buffer, offset, Math.min(length, bytesPerRead));
            }
        };
        try {
            List<SourceRecord> records = readAll(csv ? "fuzz.csv" : "fuzz.jsonl", in, null, options);
            for (int i = 1; i < records.size(); i++) {
                assertTrue(records.get(i - 1).position() < records.get(i).position(), "records in line order");
            }
        } catch (UnusableFileException e) {
            assertFalse(e.getMessage().contains(CANARY), e.getMessage());
        }
    }

    @Property
    void everyCsvLineIsBlankOrInARecord(@ForAll("text") String body, @ForAll @IntRange(min = 30, max = 200) int maxRecordChars)
            throws IOException {
        String csv = HEADER + "\n" + body;
        // The splitter shows each record's whole text (so how many lines a quoted field spans); the header is line 1.
        RecordSplitter splitter = new RecordSplitter(new StringReader(csv), true, ',', maxRecordChars);
        List<Covered> rows = new ArrayList<>();
        for (RecordSplitter.Raw raw = splitter.next(); raw != null; raw = splitter.next()) {
            rows.add(new Covered(raw.line(), raw.malformed() ? 1 : 1 + lineBreaks(raw.text())));
        }
        assertEveryLineAccountedFor(lines(csv), rows);
        List<SourceRecord> records = readAll("fuzz.csv", Files.utf8(csv), null, RecordFileOptions.defaults().withMaxRecordChars(maxRecordChars));
        assertEquals(rows.stream().skip(1).map(Covered::line).toList(), records.stream().map(SourceRecord::position).toList(),
                "one record per row after the header, at its line");
    }

    @Property
    void everyJsonLineIsBlankOrOneRecord(@ForAll("text") String body, @ForAll @IntRange(min = 1, max = 200) int maxRecordChars) {
        List<SourceRecord> records = readAll("fuzz.jsonl", Files.utf8(body), null,
                RecordFileOptions.defaults().withMaxRecordChars(maxRecordChars));
        assertEveryLineAccountedFor(lines(body), records.stream().map(record -> new Covered(record.position(), 1)).toList());
    }

    @Property
    void wellFormedCsvComesBackExactly(@ForAll("rows") List<List<String>> rows, @ForAll("delimiters") char delimiter,
            @ForAll boolean crlf) throws IOException {
        String lineEnd = crlf ? "\r\n" : "\n";
        StringBuilder csv = new StringBuilder(HEADER.replace(',', delimiter)).append(lineEnd);
        List<SourceRecord> expected = new ArrayList<>();
        long line = 2;
        for (List<String> row : rows) {
            Map<String, Object> fields = new LinkedHashMap<>();
            List<String> cells = new ArrayList<>();
            int breaks = 0;
            for (int column = 0; column < COLUMNS.size(); column++) {
                String value = row.get(column);
                putValue(fields, COLUMNS.get(column), value);
                cells.add(quoted(value, delimiter));
                breaks += lineBreaks(value);
            }
            csv.append(String.join(String.valueOf(delimiter), cells)).append(lineEnd);
            expected.add(SourceRecord.of(line, fields));
            line += 1 + breaks;
        }
        RecordFileOptions options = RecordFileOptions.defaults().withDelimiter(delimiter);
        try (RecordFileReader reader = RecordFileReader.open(Files.utf8(csv.toString()), "fuzz.csv", null, options)) {
            List<SourceRecord> records = new ArrayList<>();
            reader.forEachRemaining(records::addAll);
            assertEquals(expected, records);
            assertEquals(0, reader.blockFallbacks(), "well-formed rows are parsed a chunk at a time");
        }
    }

    @Property
    void wellFormedJsonLinesComeBackExactly(@ForAll("rows") List<List<String>> rows, @ForAll boolean crlf) throws Exception {
        StringBuilder jsonl = new StringBuilder();
        List<SourceRecord> expected = new ArrayList<>();
        long line = 1;
        for (List<String> row : rows) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int column = 0; column < COLUMNS.size(); column++) {
                putValue(fields, COLUMNS.get(column), row.get(column));
            }
            jsonl.append(mapper.writeValueAsString(fields)).append(crlf ? "\r\n" : "\n").append(line % 3 == 0 ? " \t\n" : "");
            expected.add(SourceRecord.of(line, fields));
            line += line % 3 == 0 ? 2 : 1;
        }
        assertEquals(expected, readAll("fuzz.jsonl", Files.utf8(jsonl.toString()), null, null));
    }

    // ------------------------------------------------------------------------------------------ inputs

    /**
     * Bytes: random ones, or text of the hard pieces with invalid UTF-8 and NULs spliced in, also behind
     * the first block the reader checks whole (so that the bad bytes turn up mid-file).
     */
    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> text = Arbitraries.of(PIECES).list().ofMaxSize(150).map(pieces -> String.join("", pieces))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> spliced = Arbitraries.oneOf(text, Arbitraries.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF, (byte) 0xFE},
                new byte[] {0}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
                .list().ofMaxSize(4).map(parts -> Files.concat(parts.toArray(byte[][]::new)));
        byte[] firstBlock = "externalUserId,email\n{\"externalUserId\":\"x\"}\n".repeat(StrictUtf8Reader.SNIFF_BYTES / 40 + 1)
                .getBytes(StandardCharsets.UTF_8);
        Arbitrary<byte[]> late = spliced.map(tail -> Files.concat(firstBlock, tail));
        return Arbitraries.oneOf(random, text, text, spliced, late);
    }

    /** Text of the hard pieces (valid UTF-16, so valid UTF-8 once encoded). */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.of(PIECES).list().ofMaxSize(200).map(pieces -> String.join("", pieces));
    }

    /** Rows of three values made of the hard pieces. */
    @Provide
    Arbitrary<List<List<String>>> rows() {
        Arbitrary<String> value = Arbitraries.of(PIECES).list().ofMaxSize(6).map(pieces -> String.join("", pieces));
        return value.list().ofSize(COLUMNS.size()).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<Character> delimiters() {
        return Arbitraries.of(',', ';', '\t', '|');
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A record (read or rejected) starting on {@code line} and covering {@code lines} physical lines. */
    private record Covered(long line, int lines) {
    }

    /**
     * Walks the physical lines (numbered from 1): each record starts where the lines since the previous one
     * are blank and covers its lines; the lines after the last record are blank.
     */
    private static void assertEveryLineAccountedFor(List<String> lines, List<Covered> records) {
        long next = 1;
        for (Covered record : records) {
            assertTrue(record.line() >= next, "the record at line " + record.line() + " overlaps the one before");
            for (long line = next; line < record.line(); line++) {
                assertTrue(isBlank(lines.get((int) line - 1)), "line " + line + " is skipped but not blank");
            }
            next = record.line() + record.lines();
        }
        for (long line = next; line <= lines.size(); line++) {
            assertTrue(isBlank(lines.get((int) line - 1)), "line " + line + " after the last record is not blank");
        }
        assertTrue(next <= Math.max(lines.size(), 1) + 1, "the records cover more lines than there are");
    }

    /** The physical lines of a file's text (a byte order mark at the start is not content; a final line break starts no line). */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(LINE_BREAK.split(text.startsWith("\uFEFF") ? text.substring(1) : text, -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** Blank as the reader skips it: whitespace only, no delimiter (a comma here). */
    private static boolean isBlank(String line) {
        return line.chars().allMatch(Character::isWhitespace);
    }

    /** A blank value is no value: the field mapping leaves it out. */
    private static void putValue(Map<String, Object> fields, String column, String value) {
        if (!FieldMapping.isAbsent(value)) {
            fields.put(column, value);
        }
    }

    private static int lineBreaks(String value) {
        return (int) LINE_BREAK.matcher(value).results().count();
    }

    /** RFC 4180: quoted when it holds a quote, the delimiter or a line break; quotes doubled. */
    private static String quoted(String value, char delimiter) {
        boolean quote = value.indexOf('"') >= 0 || value.indexOf(delimiter) >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
