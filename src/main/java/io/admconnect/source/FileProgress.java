package io.admconnect.source;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.admconnect.processor.ProcessedRecords;

/**
 * One file on its way through a file drop route: what the store has of it, and what this run read,
 * rejected and stored, for the progress log and the summary. Counts and line numbers only, never content.
 * One instance per file, shared by the file's exchange and the splitter's copies of it (Camel copies
 * exchange properties by reference); the chunks of a file run one after the other.
 */
final class FileProgress {

    /** How many rejections of a file are logged one by one (with their line); the rest are counted. */
    static final int LOGGED_REJECTIONS = 20;

    private final FileKey key;
    private final ProcessedFiles.Stored before;
    private final long started = System.nanoTime();
    private ProcessedFiles.Stored stored;
    private long read;
    private long rejected;
    private long members;
    private final Map<String, Long> rejectedByReason = new TreeMap<>();
    private long loggedAt = started;

    FileProgress(FileKey key, ProcessedFiles.Stored before) {
        this.key = key;
        this.before = before;
        this.stored = before;
    }

    FileKey key() {
        return key;
    }

    /** What the store had of the file when this run started. */
    ProcessedFiles.Stored before() {
        return before;
    }

    /** What the store has of the file now. */
    ProcessedFiles.Stored stored() {
        return stored;
    }

    void read(int records) {
        read += records;
    }

    /** A chunk and its checkpoint are committed. Returns how many rejections the file had before this chunk. */
    long committed(ProcessedFiles.Stored checkpoint, ProcessedRecords chunk) {
        long rejectedBefore = rejected;
        stored = checkpoint;
        members += chunk.members().size();
        rejected += chunk.rejections().size();
        chunk.rejections().forEach(r -> rejectedByReason.merge(r.reason().code(), 1L, Long::sum));
        return rejectedBefore;
    }

    void completed(ProcessedFiles.Stored completed) {
        stored = completed;
    }

    /** True at most once per interval: time to log progress. */
    boolean due(Duration interval) {
        long now = System.nanoTime();
        if (now - loggedAt < interval.toNanos()) {
            return false;
        }
        loggedAt = now;
        return true;
    }

    long read() {
        return read;
    }

    /** e.g. {@code 120000 records read, 3 rejected, 119997 members stored, 41000 records/s}. */
    String counts() {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        return String.format("%d records read, %d rejected%s, %d members stored, %.0f records/s", read, rejected,
                rejectedByReason.isEmpty() ? "" : " " + rejectedByReason, members, read / seconds);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
