package io.admconnect.source;

import java.io.InputStream;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.admconnect.adm.AdmConstants;
import io.admconnect.batching.Delivery;
import io.admconnect.batching.MemberStore;
import io.admconnect.processor.ProcessedRecords;
import io.admconnect.processor.SourceRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.StreamCache;
import org.jboss.logging.Logger;

/**
 * The steps of a file drop route (the {@code adm-sftp-source} Kamelet; bean {@code fileDrop}) around
 * normalize-hash-consent and the store: reads a dropped file in chunks, resuming behind what the store
 * already has of it; gives each chunk the checkpoint to store with its members; reports progress; and
 * marks the file as completely stored, after which the consumer may move it to {@code .done/}.
 *
 * <p>Route settings, as exchange properties: the {@link SourceMapping} (none: the header or JSON keys are
 * canonical names) and {@value #CSV_DELIMITER} (one character, {@code \t} for a tab; default {@code ,}).
 *
 * <p>Metrics per source ({@link io.admconnect.processor.SourceName}): {@code adm_file_records_read_total},
 * {@code adm_file_members_stored_total}; rejections are in {@code adm_records_rejected_total}. The log gets counts,
 * line numbers and file names only.
 */
@ApplicationScoped
@Named("fileDrop")
public class FileDrop {

    public static final String CSV_DELIMITER = "AdmCsvDelimiter";
    static final String PROGRESS = "AdmFileProgress";
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(FileDrop.class);

    @Inject
    ProcessedFiles processedFiles;

    @Inject
    MeterRegistry registry;

    @Inject
    Delivery delivery;

    private volatile ExecutorService readers;

    /**
     * The split expression: the file's records in chunks, in file order, without those stored before. A
     * file stored completely before (its move to {@code .done/} did not happen) gives no chunk at all.
     *
     * @throws UnusableFileException when the file cannot be read as a whole (the consumer moves it to {@code .error/})
     */
    public Iterator<List<SourceRecord>> chunks(Exchange exchange) throws InvalidPayloadException {
        FileKey key = FileKey.of(exchange);
        ProcessedFiles.Stored stored = processedFiles.find(key);
        exchange.setProperty(PROGRESS, new FileProgress(key, stored));
        if (stored.completed()) {
            LOG.infof("File %s (this name, size and time) was stored completely before; it is not read again", key.name());
            return Collections.emptyIterator();
        }
        if (exchange.getMessage().getBody() instanceof StreamCache) {
            throw new IllegalStateException("the route caches each file whole before reading it: set streamCache: \"false\" on it");
        }
        RecordFileOptions options = RecordFileOptions.defaults().withDelimiter(delimiter(exchange.getProperty(CSV_DELIMITER, String.class)));
        RecordFileReader reader = RecordFileReader.open(exchange.getMessage().getMandatoryBody(InputStream.class), key.name(),
                SourceMapping.of(exchange), options);
        if (stored.known()) {
            LOG.infof("File %s: resuming behind line %d (its first %d records are stored)", key.name(), stored.lastLine(),
                    stored.records());
        } else {
            LOG.infof("File %s: reading (%d bytes)", key.name(), key.size());
        }
        return new ReadAhead(new ResumedChunks(reader, stored.lastLine()), readers(exchange));
    }

    /** The threads that read files ahead of their routes (managed, and shut down, by Camel). */
    private ExecutorService readers(Exchange exchange) {
        if (readers == null) {
            synchronized (this) {
                if (readers == null) {
                    readers = exchange.getContext().getExecutorServiceManager().newCachedThreadPool(this, "FileDropReadAhead");
                }
            }
        }
        return readers;
    }

    /** Before a chunk is normalized: the checkpoint that its members are stored with (where the chunk ends). */
    public void checkpoint(Exchange exchange) {
        FileProgress progress = progress(exchange);
        List<?> chunk = exchange.getMessage().getBody(List.class);
        SourceRecord last = (SourceRecord) chunk.get(chunk.size() - 1);
        progress.read(chunk.size());
        counter("adm.file.records.read", "Records read from dropped files", progress.key().source()).increment(chunk.size());
        ProcessedFiles.Stored from = progress.stored();
        ProcessedFiles.Stored to = new ProcessedFiles.Stored(last.position(), from.records() + chunk.size(), false, true);
        exchange.setProperty(MemberStore.ALSO_COMMIT, new ProcessedFiles.Checkpoint(progress.key(), from, to));
    }

    /** After a chunk and its checkpoint are stored: progress, rejections by line, metrics. */
    public void stored(Exchange exchange) {
        FileProgress progress = progress(exchange);
        ProcessedRecords chunk = exchange.getMessage().getBody(ProcessedRecords.class);
        ProcessedFiles.Stored reached = exchange.getProperty(MemberStore.ALSO_COMMIT, ProcessedFiles.Checkpoint.class).to();
        long rejectedBefore = progress.committed(reached, chunk);
        String name = progress.key().name();
        for (int i = 0; i < chunk.rejections().size() && rejectedBefore + i <= FileProgress.LOGGED_REJECTIONS; i++) {
            ProcessedRecords.Rejection rejection = chunk.rejections().get(i);
            if (rejectedBefore + i < FileProgress.LOGGED_REJECTIONS) {
                LOG.infof("File %s line %d: rejected (%s)", name, rejection.position(), rejection.reason().code());
            } else {
                LOG.infof("File %s: further rejections are counted, not logged one by one", name);
            }
        }
        counter("adm.file.members.stored", "Members stored from dropped files", progress.key().source())
                .increment(chunk.members().size());
        if (progress.due(PROGRESS_INTERVAL)) {
            LOG.infof("File %s: %s (at line %d)", name, progress.counts(), reached.lastLine());
        }
    }

    /**
     * After the last chunk: every record of the file is stored, so it may be acknowledged (moved to {@code .done/}),
     * and its last members need not wait for more to fill their batches. The body becomes the file's one-line
     * summary (counts, no values) for the route that uses the Kamelet.
     */
    public void finished(Exchange exchange) {
        FileProgress progress = progress(exchange);
        if (!progress.stored().completed()) {
            progress.completed(processedFiles.complete(progress.key(), progress.stored()));
        }
        delivery.flush(exchange.getMessage().getHeader(AdmConstants.DATA_SET, String.class));
        exchange.getMessage().setBody(summary(exchange));
    }

    /** A one-line summary of the file for the consumer's outcome log; null when the route did not get to it. */
    static String summary(Exchange exchange) {
        FileProgress progress = exchange.getProperty(PROGRESS, FileProgress.class);
        if (progress == null) {
            return null;
        }
        String resumed = progress.before().known() && !progress.before().completed()
                ? " (resumed behind line " + progress.before().lastLine() + ")" : "";
        return progress.counts() + resumed + " in " + progress.elapsed().toMillis() + " ms";
    }

    private static FileProgress progress(Exchange exchange) {
        FileProgress progress = exchange.getProperty(PROGRESS, FileProgress.class);
        if (progress == null) {
            throw new IllegalStateException("fileDrop.checkpoint, stored and finished come after fileDrop.chunks in the route");
        }
        return progress;
    }

    /** The CSV delimiter setting: one character, or {@code \t} / {@code tab} for a tab; blank means a comma. */
    static char delimiter(String setting) {
        if (setting == null || setting.isEmpty()) {
            return RecordFileOptions.DEFAULT_DELIMITER;
        }
        if (setting.equals("\\t") || setting.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (setting.length() != 1) {
            throw new IllegalArgumentException("the CSV delimiter must be one character (or \\t for a tab)");
        }
        return setting.charAt(0);
    }

    private Counter counter(String name, String description, String source) {
        return Counter.builder(name).description(description).tag("source", source).register(registry);
    }
}
