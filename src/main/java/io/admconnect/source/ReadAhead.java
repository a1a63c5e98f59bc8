package io.admconnect.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.admconnect.processor.SourceRecord;

/**
 * Reads a file's next chunk while the route normalizes and stores the current one, so that reading (SSH
 * decryption, CSV parsing) overlaps with the rest of the route instead of adding to it. One chunk ahead at
 * most: memory stays bounded, the reader is used by one thread at a time, and a reading failure surfaces
 * from {@link #next()} where it happened in the file, as without reading ahead.
 */
final class ReadAhead implements Iterator<List<SourceRecord>>, Closeable {

    private final ResumedChunks chunks;
    private final ExecutorService executor;
    /** The read under way or done; its result is null at the end of the file. */
    private Future<List<SourceRecord>> ahead;
    private boolean awaited;
    private List<SourceRecord> chunk;
    private RuntimeException failure;

    ReadAhead(ResumedChunks chunks, ExecutorService executor) {
        this.chunks = chunks;
        this.executor = executor;
        this.ahead = executor.submit(this::read);
    }

    private List<SourceRecord> read() {
        return chunks.hasNext() ? chunks.next() : null;
    }

    @Override
    public boolean hasNext() {
        await();
        return chunk != null || failure != null;
    }

    @Override
    public List<SourceRecord> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records");
        }
        if (failure != null) {
            RuntimeException thrown = failure;
            ahead = null; // nothing after a failure, as with the reader itself
            failure = null;
            throw thrown;
        }
        List<SourceRecord> current = chunk;
        chunk = null;
        awaited = false;
        ahead = executor.submit(this::read);
        return current;
    }

    private void await() {
        if (awaited || ahead == null) {
            return;
        }
        awaited = true;
        try {
            chunk = ahead.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            failure = e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IllegalStateException("interrupted while reading the file", e);
        }
    }

    /** Lets a read under way finish (the route stopped early: the store failed) before the reader is closed. */
    @Override
    public void close() throws IOException {
        if (ahead != null) {
            try {
                ahead.get();
            } catch (ExecutionException e) {
                // the route has stopped already; the failure that stopped it is what counts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        chunks.close();
    }
}
