package io.admconnect.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.admconnect.processor.SourceRecord;

/**
 * The chunks of a file without the records stored before (those on or before the last stored line): after
 * a crash, reading starts over but storing resumes where it stopped. Chunks left empty are skipped. A
 * reading failure met while skipping surfaces from {@link #next()}, as the reader's own do.
 */
final class ResumedChunks implements Iterator<List<SourceRecord>>, Closeable {

    private final RecordFileReader reader;
    private final long storedThroughLine;
    private List<SourceRecord> ready;
    private RuntimeException failure;

    ResumedChunks(RecordFileReader reader, long storedThroughLine) {
        this.reader = reader;
        this.storedThroughLine = storedThroughLine;
    }

    @Override
    public boolean hasNext() {
        while (ready == null && failure == null && reader.hasNext()) {
            try {
                List<SourceRecord> chunk = reader.next();
                List<SourceRecord> unstored = chunk.get(chunk.size() - 1).position() <= storedThroughLine ? List.of() : unstored(chunk);
                ready = unstored.isEmpty() ? null : unstored;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        return ready != null || failure != null;
    }

    @Override
    public List<SourceRecord> next() {
        if (!hasNext()) {
            throw new NoSuchElementException(reader.fileName() + ": no more records");
        }
        if (failure != null) {
            RuntimeException thrown = failure;
            failure = null;
            throw thrown;
        }
        List<SourceRecord> chunk = ready;
        ready = null;
        return chunk;
    }

    private List<SourceRecord> unstored(List<SourceRecord> chunk) {
        if (chunk.get(0).position() > storedThroughLine) {
            return chunk;
        }
        List<SourceRecord> unstored = new ArrayList<>(chunk.size());
        for (SourceRecord record : chunk) {
            if (record.position() > storedThroughLine) {
                unstored.add(record);
            }
        }
        return unstored;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
