package io.admconnect.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The Commons CSV step and the splitter's agreement with it: one parser per chunk, record by record when a
 * text is not exactly one record, and record boundaries that match Commons CSV's lexer.
 */
class CsvRowsTest {

    @Test
    void aChunkIsParsedInOneGo() {
        CsvRows rows = new CsvRows(',');
        List<String[]> values = rows.parse(List.of("a,b", "\"c\nd\",\"e\"\"f\"", ",", "\"\""));
        assertArrayEquals(new String[] {"a", "b"}, values.get(0));
        assertArrayEquals(new String[] {"c\nd", "e\"f"}, values.get(1));
        assertArrayEquals(new String[] {"", ""}, values.get(2));
        assertArrayEquals(new String[] {""}, values.get(3));
        assertEquals(0, rows.fallbacks());
    }

    @Test
    void aTextThatIsNotOneRecordFallsBackToRecordByRecord() {
        CsvRows rows = new CsvRows(',');
        // "x"y breaks Commons CSV; "a\nb" unquoted is two records: both must stay confined to their own text
        List<String[]> values = rows.parse(List.of("1,2", "\"x\"y,3", "a\nb", "4,\"unterminated", "5,6"));
        assertArrayEquals(new String[] {"1", "2"}, values.get(0));
        assertNull(values.get(1));
        assertNull(values.get(2));
        assertNull(values.get(3));
        assertArrayEquals(new String[] {"5", "6"}, values.get(4));
        assertEquals(1, rows.fallbacks());
    }

    @Test
    void anEmptyChunk() {
        assertEquals(List.of(), new CsvRows(',').parse(List.of()));
    }

    /** The splitter cuts exactly where Commons CSV does, and flags exactly what Commons CSV refuses. */
    @Test
    void theSplitterAgreesWithCommonsCsvRecordForRecord() throws IOException {
        String[] records = {
            "plain,row", "\"quoted\",\"with \"\"quotes\"\"\"", "\"multi\r\nline\",x", "\"a\"  ,  b", "\"a\"\t,b",
            " \"not quoted\" ,x", "mid\"quote,x", "\"\"", "\"\"\"\"", ",,,", "\"x\" ", "\"line\rbreak\"",
        };
        String[] broken = {"\"a\"b,c", "\"a\" b,c", "\"a\"\"\"b", "x,\"y\"z"};
        CsvRows rows = new CsvRows(',');
        for (String text : records) {
            RecordSplitter splitter = new RecordSplitter(new StringReader(text + "\n"), true, ',', 1000);
            RecordSplitter.Raw raw = splitter.next();
            assertEquals(text, raw.text(), text);
            assertNull(splitter.next(), text);
            String[] values = rows.parseOne(text);
            assertEquals(false, values == null, text);
        }
        for (String text : broken) {
            RecordSplitter splitter = new RecordSplitter(new StringReader(text + "\nok\n"), true, ',', 1000);
            RecordSplitter.Raw raw = splitter.next();
            assertEquals(new RecordSplitter.Raw(1, null), raw, text);
            assertEquals(new RecordSplitter.Raw(2, "ok"), splitter.next(), text);
            assertNull(rows.parseOne(text), text);
        }
    }

    @Test
    void theSplitterCountsLinesAndSkipsBlankOnes() throws IOException {
        RecordSplitter splitter = new RecordSplitter(new StringReader("a\r\n\r\n \t\r\"b\nc\"\n\nd"), true, ',', 1000);
        List<RecordSplitter.Raw> raws = new ArrayList<>();
        for (RecordSplitter.Raw raw = splitter.next(); raw != null; raw = splitter.next()) {
            raws.add(raw);
        }
        assertEquals(List.of(new RecordSplitter.Raw(1, "a"), new RecordSplitter.Raw(4, "\"b\nc\""), new RecordSplitter.Raw(7, "d")), raws);
        assertEquals(7, splitter.linesRead());
    }

    @Test
    void aBlankLineIsNotBlankWhenTheDelimiterIsWhitespace() throws IOException {
        RecordSplitter splitter = new RecordSplitter(new StringReader("a\tb\n\t\n  \n"), true, '\t', 1000);
        assertEquals(new RecordSplitter.Raw(1, "a\tb"), splitter.next());
        assertEquals(new RecordSplitter.Raw(2, "\t"), splitter.next());
        assertNull(splitter.next());
    }

    /**
     * Differential check on random texts over the characters that matter: wherever Commons CSV reads a whole
     * text without error, the splitter plus {@link CsvRows} yields exactly the same records (and none
     * malformed); wherever Commons CSV fails, the splitter reports at least one malformed record and no
     * exception escapes.
     */
    @Test
    void splitterPlusCsvRowsEqualsCommonsCsvOnRandomTexts() throws IOException {
        char[] alphabet = {'a', 'b', ',', '"', '"', '\n', '\r', ' '};
        CSVFormat whole = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        Random random = new Random(20250101);
        int agreed = 0;
        int refused = 0;
        for (int run = 0; run < 30_000; run++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            List<List<String>> expected = new ArrayList<>();
            boolean commonsFailed = false;
            try (CSVParser parser = CSVParser.parse(text.toString(), whole)) {
                List<CSVRecord> records = parser.getRecords();
                for (int i = 0; i < records.size(); i++) {
                    // the splitter skips lines of spaces, Commons CSV reads them as a record of one field
                    int start = (int) records.get(i).getCharacterPosition();
                    int end = i + 1 < records.size() ? (int) records.get(i + 1).getCharacterPosition() : text.length();
                    String source = text.substring(start, end);
                    if (source.isBlank() && source.indexOf('"') < 0) {
                        continue;
                    }
                    expected.add(List.of(records.get(i).values()));
                }
            } catch (RuntimeException e) {
                commonsFailed = true;
            }
            RecordSplitter splitter = new RecordSplitter(new StringReader(text.toString()), true, ',', 1000);
            List<RecordSplitter.Raw> raws = new ArrayList<>();
            for (RecordSplitter.Raw raw = splitter.next(); raw != null; raw = splitter.next()) {
                raws.add(raw);
            }
            List<String> texts = raws.stream().filter(raw -> !raw.malformed()).map(RecordSplitter.Raw::text).toList();
            List<List<String>> actual = new CsvRows(',').parse(texts).stream().map(v -> v == null ? null : List.of(v)).toList();
            String shown = text.toString().replace("\r", "\\r").replace("\n", "\\n");
            if (commonsFailed) {
                refused++;
                assertEquals(true, raws.stream().anyMatch(RecordSplitter.Raw::malformed), shown);
            } else {
                agreed++;
                assertEquals(false, raws.stream().anyMatch(RecordSplitter.Raw::malformed), shown);
                assertEquals(expected, actual, shown);
            }
        }
        assertEquals(true, agreed > 10_000 && refused > 1_000, agreed + "/" + refused);
    }
}
