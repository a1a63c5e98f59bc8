package io.admconnect.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Turns the text of single CSV records (as {@link RecordSplitter} cut them) into field values with Commons
 * CSV. A whole chunk goes through one parser over the joined texts (one parser per row would allocate an
 * 8 KB buffer per row); the parse is accepted only if every record comes back starting exactly where its
 * text was put. On any surprise (an exception, a record more or less, a shifted start) the texts are parsed
 * one by one, so that a failure stays confined to its own record.
 */
final class CsvRows {

    private final CSVFormat format;
    private long fallbacks;

    CsvRows(char delimiter) {
        this.format = CSVFormat.DEFAULT.builder()
                .setDelimiter(delimiter)
                .setQuote('"')
                .setEscape(null)
                .setCommentMarker(null)
                .setIgnoreEmptyLines(false)
                .setIgnoreSurroundingSpaces(false)
                .setTrim(false)
                .setLenientEof(false)
                .setTrailingData(false)
                .setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
                .get();
    }

    /** The values of each text, in order; null for a text that is not exactly one CSV record. */
    List<String[]> parse(List<String> texts) {
        List<String[]> values = parseTogether(texts);
        if (values == null) {
            fallbacks++;
            values = new ArrayList<>(texts.size());
            for (String text : texts) {
                values.add(parseOne(text));
            }
        }
        return values;
    }

    /** The values of one record, or null when Commons CSV does not read exactly one record from it. */
    String[] parseOne(String text) {
        try (CSVParser parser = CSVParser.parse(text, format)) {
            List<CSVRecord> records = parser.getRecords();
            return records.size() == 1 ? records.get(0).values() : null;
        } catch (IOException | RuntimeException e) {
            return null; // the message may quote content: never passed on
        }
    }

    /** How many times a chunk had to be parsed record by record. */
    long fallbacks() {
        return fallbacks;
    }

    private List<String[]> parseTogether(List<String> texts) {
        StringBuilder joined = new StringBuilder();
        long[] starts = new long[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            starts[i] = joined.length();
            joined.append(texts.get(i)).append('\n');
        }
        List<String[]> values = new ArrayList<>(texts.size());
        try (CSVParser parser = CSVParser.parse(joined.toString(), format)) {
            for (CSVRecord record : parser) {
                int index = values.size();
                if (index >= starts.length || record.getCharacterPosition() != starts[index]) {
                    return null;
                }
                values.add(record.values());
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return values.size() == texts.size() ? values : null;
    }
}
