package io.admconnect.source;

import java.io.IOException;
import java.util.List;

import io.admconnect.processor.SourceRecord;

/**
 * Reads generated files far bigger than the heap it is started with (see {@link LargeFileTest}): a CSV of
 * {@code rows} rows with quoted multi-line rows, rows with the wrong number of fields and two 50 MB lines,
 * and a JSON lines file with a 50 MB line. Prints one summary line per file. Nothing is materialized: the
 * input is produced piece by piece while it is read.
 */
public final class LargeFileCheck {

    static final int HUGE = 50 * 1024 * 1024;

    private LargeFileCheck() {
    }

    public static void main(String[] args) throws IOException {
        int rows = Integer.parseInt(args[0]);
        long started = System.nanoTime();
        System.out.println("csv " + summary(RecordFileReader.open(new Files.GeneratedStream(csv(rows)), "big.csv",
                FieldMapping.parse("externalUserId: id\nemail: lower(mail)\nfirstName: firstWord(name)\nlastName: lastWords(name)"))));
        System.out.println("jsonl " + summary(RecordFileReader.open(new Files.GeneratedStream(jsonl(rows / 10)), "big.jsonl",
                FieldMapping.parse("externalUserId: id\nemail: p.mail"))));
        System.out.println("millis " + (System.nanoTime() - started) / 1_000_000);
    }

    private static String summary(RecordFileReader reader) throws IOException {
        try (reader) {
            long records = 0;
            long malformed = 0;
            long lastPosition = 0;
            long withEmail = 0;
            while (reader.hasNext()) {
                List<SourceRecord> chunk = reader.next();
                for (SourceRecord record : chunk) {
                    records++;
                    if (record.malformed() != null) {
                        malformed++;
                    } else if (record.fields().containsKey("email")) {
                        withEmail++;
                    }
                    if (record.position() <= lastPosition) {
                        throw new AssertionError("positions out of order at " + record.position());
                    }
                    lastPosition = record.position();
                }
            }
            if (records != reader.recordsRead() || malformed != reader.malformedRecords()) {
                throw new AssertionError("counters");
            }
            return "records=" + records + " malformed=" + malformed + " withEmail=" + withEmail + " lastPosition=" + lastPosition;
        }
    }

    /**
     * Header, then {@code rows} rows: every 100th has a quoted two-line name, every 100,000th a missing field;
     * after the middle row, a 50 MB unquoted line and a 50 MB quoted field on one line.
     */
    static Files.GeneratedStream.Lines csv(int rows) {
        return new Files.GeneratedStream.Lines() {
            private int row = -1;
            private int hugePiece;
            private int hugeLine;

            @Override
            public String next() {
                if (row == -1) {
                    row = 0;
                    return "id,mail,name\r\n";
                }
                if (row == rows / 2 && hugeLine < 2) {
                    String piece = huge(hugeLine == 0 ? "zz," : "zz,\"", hugeLine == 0 ? "\n" : "\",n\n");
                    if (piece != null) {
                        return piece;
                    }
                    hugeLine++;
                    hugePiece = 0;
                    return next();
                }
                if (row >= rows) {
                    return null;
                }
                row++;
                if (row % 100_000 == 0) {
                    return "u" + row + ",only-two-fields\r\n";
                }
                if (row % 100 == 0) {
                    return "u" + row + ",\"User" + row + "@Example.com\",\"Ann\nMarie Smith\"\r\n";
                }
                return "u" + row + ",User" + row + "@Example.com,Ann Smith\r\n";
            }

            private String huge(String start, String end) {
                int pieces = HUGE / (1 << 20);
                if (hugePiece > pieces + 1) {
                    return null;
                }
                int piece = hugePiece++;
                return piece == 0 ? start : piece <= pieces ? "x".repeat(1 << 20) : end;
            }
        };
    }

    /** {@code lines} JSON objects, one 50 MB line after the first. */
    static Files.GeneratedStream.Lines jsonl(int lines) {
        return new Files.GeneratedStream.Lines() {
            private int line;
            private int hugePiece = -1;

            @Override
            public String next() {
                if (line == 1 && hugePiece < HUGE / (1 << 20)) {
                    hugePiece++;
                    return hugePiece == 0 ? "{\"id\":\"huge\",\"p\":\"" : "y".repeat(1 << 20);
                }
                if (line == 1 && hugePiece == HUGE / (1 << 20)) {
                    hugePiece++;
                    return "\"}\n";
                }
                if (line >= lines) {
                    return null;
                }
                line++;
                return "{\"id\":\"u" + line + "\",\"p\":{\"mail\":\"u" + line + "@example.com\"}}\n";
            }
        };
    }
}
