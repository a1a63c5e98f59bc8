package io.admconnect.source;

import io.admconnect.processor.SourceName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.GenericFileExpressionRenamer;
import org.apache.camel.component.file.strategy.GenericFileProcessStrategySupport;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.util.ObjectHelper;
import org.jboss.logging.Logger;

/**
 * Where a file drop consumer puts a file after its route ({@code processStrategy: "#fileDropMoves"} next to
 * the endpoint's {@code move} and {@code moveFailed}). Camel's own strategy applies {@code moveFailed} to
 * every failure; here only a file that is unusable as a whole ({@link UnusableFileException}) goes there.
 * Any other failure (the store is down, the connection dropped) moves the file nowhere: nothing was
 * acknowledged, and the next poll reads it again, resuming behind the records already stored.
 *
 * <p>With a strategy of its own the endpoint ignores Camel's {@code readLock} options: a file drop relies on
 * writers renaming a finished file into place (names starting with {@code .} or ending in {@code .part} /
 * {@code .tmp} are not picked up).
 *
 * <p>Logs one line per file outcome and counts {@code adm_files_total{source,outcome}} with outcome
 * {@code done}, {@code error} or {@code retry}.
 */
@Singleton
@Named("fileDropMoves")
public class FileDropMoves extends GenericFileProcessStrategySupport<Object> {

    private static final Logger LOG = Logger.getLogger(FileDropMoves.class);

    @Inject
    MeterRegistry registry;

    @Override
    public void prepareOnStartup(GenericFileOperations<Object> operations, GenericFileEndpoint<Object> endpoint) throws Exception {
        if (endpoint.getMove() == null || endpoint.getMoveFailed() == null) {
            throw new IllegalArgumentException("a file drop endpoint needs both move (for stored files) and moveFailed"
                    + " (for unusable files): " + endpoint);
        }
        super.prepareOnStartup(operations, endpoint);
    }

    @Override
    public void commit(GenericFileOperations<Object> operations, GenericFileEndpoint<Object> endpoint, Exchange exchange,
            GenericFile<Object> file) throws Exception {
        super.commit(operations, endpoint, exchange, file); // closes the download stream first
        GenericFile<Object> target = move(operations, endpoint.getMove(), exchange, file);
        LOG.infof("File %s: %s; moved to %s", file.getFileName(), FileDrop.summary(exchange), target.getRelativeFilePath());
        count(exchange, "done");
    }

    @Override
    public void rollback(GenericFileOperations<Object> operations, GenericFileEndpoint<Object> endpoint, Exchange exchange,
            GenericFile<Object> file) throws Exception {
        super.rollback(operations, endpoint, exchange, file);
        UnusableFileException unusable = ObjectHelper.getException(UnusableFileException.class, exchange.getException());
        if (unusable != null) {
            GenericFile<Object> target = move(operations, endpoint.getMoveFailed(), exchange, file);
            LOG.warnf("File %s is unusable: %s; moved to %s", file.getFileName(), unusable.problem(), target.getRelativeFilePath());
            count(exchange, "error");
        } else {
            String summary = FileDrop.summary(exchange);
            LOG.errorf("File %s was not finished%s: %s; it stays for the next poll, which resumes behind the records stored",
                    file.getFileName(), summary == null ? "" : " (" + summary + ")", describe(exchange.getException()));
            count(exchange, "retry");
        }
    }

    /** Renames the file to where the expression says, as Camel's rename strategy does. */
    private GenericFile<Object> move(GenericFileOperations<Object> operations, Expression where, Exchange exchange,
            GenericFile<Object> file) {
        Exchange copy = ExchangeHelper.createCopy(exchange, true);
        file.bindToExchange(copy);
        GenericFile<Object> target = new GenericFileExpressionRenamer<Object>(where).renameFile(operations, copy, file);
        return renameFile(operations, file, target);
    }

    /** The failure behind Camel's wrappers (one per step), by type and message: this bundle's messages carry no PII. */
    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && cause.getCause() != null && cause.getClass().getName().startsWith("org.apache.camel.")) {
            cause = cause.getCause();
        }
        return cause == null ? "unknown failure" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private void count(Exchange exchange, String outcome) {
        Counter.builder("adm.files").description("Dropped files by outcome: done, error (unusable), retry (next poll)")
                .tag("source", SourceName.of(exchange))
                .tag("outcome", outcome).register(registry).increment();
    }

    @Override
    public String toString() {
        return "fileDropMoves";
    }
}
