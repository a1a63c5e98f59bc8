package io.admconnect.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.admconnect.processor.SourceRecord;

/**
 * Reads a file's next chunks on a thread of their own while the route normalizes and stores the current one,
 * so that reading (SSH decryption, CSV parsing) overlaps with the rest of the route instead of adding to it.
 *
 * <p>Two chunks ahead at most: one read and waiting, one being read. Camel's streaming split asks
 * {@link #hasNext()} right after {@link #next()} (to know whether the chunk it got is the last); with a single
 * chunk ahead that question waited for the whole next read, and reading did not overlap at all. Memory stays
 * bounded, the reader is used by one thread at a time, and a reading failure surfaces from {@link #next()} where
 * it happened in the file, as without reading ahead.
 */
final class ReadAhead implements Iterator<List<SourceRecord>>, Closeable {

    /** A chunk, the end of the file ({@link #END}), or the failure that ended reading. */
    private record Read(List<SourceRecord> chunk, Throwable failure) {
        static final Read END = new Read(null, null);
    }

    private final ResumedChunks chunks;
    /** The chunk read and not yet taken by the route; the reader waits on it while it is full. */
    private final BlockingQueue<Read> ready = new ArrayBlockingQueue<>(1);
    private final Future<?> reading;
    private volatile boolean stopped;
    /** Taken from {@link #ready} by {@link #hasNext()}, not yet handed out. */
    private Read next;

    ReadAhead(ResumedChunks chunks, ExecutorService executor) {
        this.chunks = chunks;
        this.reading = executor.submit(this::readAll);
    }

    private void readAll() {
        Read read;
        do {
            try {
                read = chunks.hasNext() ? new Read(chunks.next(), null) : Read.END;
            } catch (Throwable failure) {
                read = new Read(null, failure); // nothing after a failure, as with the reader itself
            }
            try {
                ready.put(read);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (read.chunk() != null && !stopped);
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = take();
        }
        return next != Read.END;
    }

    /** The next read; a reader that stopped without handing anything over (its thread pool was shut down) fails it. */
    private Read take() {
        try {
            while (true) {
                Read read = ready.poll(100, TimeUnit.MILLISECONDS);
                if (read != null) {
                    return read;
                }
                if (reading.isDone()) {
                    read = ready.poll();
                    return read != null ? read : new Read(null, new IllegalStateException("reading the file stopped (interrupted)"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Read(null, new IllegalStateException("interrupted while reading the file", e));
        }
    }

    @Override
    public List<SourceRecord> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records");
        }
        Read read = next;
        if (read.failure() == null) {
            next = null;
            return read.chunk();
        }
        next = Read.END; // nothing after a failure
        if (read.failure() instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (read.failure() instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(read.failure());
    }

    /** Stops reading (the route may have stopped early: the store failed), lets a read under way finish, closes the reader. */
    @Override
    public void close() throws IOException {
        stopped = true;
        ready.clear(); // a reader waiting to hand a chunk over goes on, and sees that it is stopped
        try {
            reading.get();
        } catch (ExecutionException e) {
            // the route has stopped already; the failure that stopped it is what counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chunks.close();
    }
}
