package io.admconnect.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.admconnect.processor.SourceRecord;

/** Test inputs and helpers for the file reader tests. */
final class Files {

    private Files() {
    }

    static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static SourceRecord rec(long line, Object... keysAndValues) {
        return SourceRecord.of(line, map(keysAndValues));
    }

    /** Every record of the file, read chunk by chunk; checks the counters at the end. */
    static List<SourceRecord> readAll(String fileName, InputStream in, FieldMapping mapping, RecordFileOptions options) {
        List<SourceRecord> records = new ArrayList<>();
        try (RecordFileReader reader = RecordFileReader.open(in, fileName, mapping, options)) {
            while (reader.hasNext()) {
                List<SourceRecord> chunk = reader.next();
                if (chunk.isEmpty() || chunk.size() > (options == null ? 1000 : options.chunkSize())) {
                    throw new AssertionError("chunk of " + chunk.size());
                }
                records.addAll(chunk);
            }
            long malformed = records.stream().filter(r -> r.malformed() != null).count();
            if (reader.recordsRead() != records.size() || reader.malformedRecords() != malformed) {
                throw new AssertionError("counters " + reader.recordsRead() + "/" + reader.malformedRecords());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return records;
    }

    static List<SourceRecord> readAll(String fileName, String content, FieldMapping mapping) {
        return readAll(fileName, utf8(content), mapping, null);
    }

    static List<SourceRecord> readAll(String fileName, String content) {
        return readAll(fileName, utf8(content), null, null);
    }

    /** Remembers whether it was closed. */
    static final class TrackedStream extends ByteArrayInputStream {
        boolean closed;

        TrackedStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }

    /**
     * A stream of generated text, never materialized: {@code lines} is asked for one line at a time.
     */
    static final class GeneratedStream extends InputStream {
        interface Lines {
            /** The text of the next piece (several lines at once is fine), or null at the end. */
            String next();
        }

        private final Lines lines;
        private byte[] current = new byte[0];
        private int at;
        long bytesServed;

        GeneratedStream(Lines lines) {
            this.lines = lines;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (at >= current.length) {
                String next = lines.next();
                if (next == null) {
                    return -1;
                }
                current = next.getBytes(StandardCharsets.UTF_8);
                at = 0;
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            bytesServed += n;
            return n;
        }
    }
}
