package io.admconnect.source;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.admconnect.processor.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    private static final String HEADER = "externalUserId,email\n";

    private final ExecutorService readers = Executors.newCachedThreadPool();

    @AfterEach
    void stopReaders() {
        readers.shutdownNow();
    }

    @Test
    void chunksComeInFileOrderThenTheEnd() throws IOException {
        try (ReadAhead chunks = readAhead(new ByteArrayInputStream(csv(250)), 100, 0)) {
            List<Long> lines = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            while (chunks.hasNext()) {
                List<SourceRecord> chunk = chunks.next();
                sizes.add(chunk.size());
                chunk.forEach(record -> lines.add(record.position()));
            }
            assertEquals(List.of(100, 100, 50), sizes);
            assertEquals(250, lines.size());
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(i + 2, lines.get(i), "line of record " + i);
            }
            assertFalse(chunks.hasNext());
            assertThrows(NoSuchElementException.class, chunks::next);
        }
    }

    @Test
    void recordsStoredBeforeAreSkipped() throws IOException {
        try (ReadAhead chunks = readAhead(new ByteArrayInputStream(csv(250)), 100, 151)) {
            List<SourceRecord> first = chunks.next();
            assertEquals(50, first.size(), "lines 2-151 are stored: the second chunk's lines 152-201 are not");
            assertEquals(152, first.get(0).position());
            assertEquals(202, chunks.next().get(0).position());
            assertFalse(chunks.hasNext());
        }
    }

    @Test
    void aReadingFailureComesAfterTheChunksBeforeItAndNothingAfterIt() throws IOException {
        // valid UTF-8 well beyond the first 8 KB the reader checks up front, then a byte that never starts a character
        byte[] good = csv(1000);
        byte[] file = new byte[good.length + 3];
        System.arraycopy(good, 0, file, 0, good.length);
        file[good.length] = 'u';
        file[good.length + 1] = (byte) 0xFF;
        file[good.length + 2] = '\n';
        try (ReadAhead chunks = readAhead(new ByteArrayInputStream(file), 100, 0)) {
            int records = 0;
            UnusableFileException failure = null;
            while (chunks.hasNext()) {
                try {
                    records += chunks.next().size();
                } catch (UnusableFileException e) {
                    failure = e;
                }
            }
            assertEquals("drop.csv: not UTF-8 text (invalid byte sequence on line 1002)", failure.getMessage());
            assertEquals(1000, records, "every record before the failure");
            assertFalse(chunks.hasNext(), "nothing after a failure");
        }
    }

    /** Camel's split asks hasNext() right after next(): the chunk after the one it got must be read already. */
    @Test
    void readsTwoChunksAheadWhileTheRouteWorksOnOne() throws IOException {
        String padding = "x".repeat(1000);
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 1000; i++) {
            csv.append("user-").append(i).append(',').append(padding).append('\n');
        }
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicLong read = new AtomicLong();
        InputStream counted = counted(file, read, new AtomicBoolean());
        long chunkBytes = 100L * (padding.length() + 12);
        try (ReadAhead chunks = readAhead(counted, 100, 0)) {
            assertEquals(100, chunks.next().size());

            // chunk 1 with the route, chunk 2 read and waiting, chunk 3 being read (or read): without hasNext() or next()
            await().atMost(Duration.ofSeconds(10)).until(() -> read.get() > 2.5 * chunkBytes);
            assertTrue(read.get() < 4 * chunkBytes, "no further than two chunks ahead: " + read.get() + " bytes read");
            assertTrue(chunks.hasNext());
            assertEquals("user-100", chunks.next().get(0).fields().get("externalUserId"));
        }
    }

    @Test
    void closingEarlyStopsReadingAtMostTwoChunksAheadAndClosesTheFile() throws IOException {
        byte[] file = csv(100_000);
        AtomicLong read = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        InputStream counted = counted(file, read, closed);
        ReadAhead chunks = readAhead(counted, 100, 0);
        assertEquals(100, chunks.next().size());

        chunks.close();

        assertTrue(closed.get(), "the file is closed");
        // the chunk taken, one waiting, one being read, plus the reader's buffers: far from the file's 4 MB
        assertTrue(read.get() < file.length / 8, read.get() + " of " + file.length + " bytes read");
    }

    @Test
    void aReaderStoppedFromOutsideFailsTheRouteInsteadOfLeavingItWaiting() throws IOException {
        ReadAhead chunks = readAhead(new ByteArrayInputStream(csv(100_000)), 100, 0);
        assertEquals(100, chunks.next().size());

        readers.shutdownNow(); // as Camel does with its thread pools when it stops

        assertThrows(IllegalStateException.class, () -> {
            while (chunks.hasNext()) {
                chunks.next();
            }
        });
        chunks.close();
    }

    /** The file's bytes, counting those read and noting the close. */
    private static InputStream counted(byte[] file, AtomicLong read, AtomicBoolean closed) {
        return new FilterInputStream(new ByteArrayInputStream(file)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read.addAndGet(Math.max(n, 0));
                return n;
            }

            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
    }

    private ReadAhead readAhead(InputStream file, int chunkSize, long storedThroughLine) {
        RecordFileReader reader = RecordFileReader.open(file, "drop.csv", FieldMapping.identity(),
                RecordFileOptions.defaults().withChunkSize(chunkSize));
        return new ReadAhead(new ResumedChunks(reader, storedThroughLine), readers);
    }

    private static byte[] csv(int records) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < records; i++) {
            csv.append("user-").append(i).append(",person.").append(i).append("@example.com\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
