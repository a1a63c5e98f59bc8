package io.admconnect.source;

import io.admconnect.processor.SourceName;
import org.apache.camel.Exchange;

/**
 * A dropped file as the checkpoint table knows it: its name, size and modification time as the server
 * reports them, per source. A new file that reuses an old name differs in size or time, so it is new.
 */
public record FileKey(String source, String name, long size, long modified) {

    /** The key of the file a file consumer (sftp:, file:) hands over, from its standard headers. */
    static FileKey of(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        Long size = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, Long.class);
        Long modified = exchange.getMessage().getHeader(Exchange.FILE_LAST_MODIFIED, Long.class);
        if (name == null || size == null || modified == null) {
            throw new IllegalArgumentException("fileDrop takes files from a file consumer (sftp:, file:): "
                    + Exchange.FILE_NAME + ", " + Exchange.FILE_LENGTH + " and " + Exchange.FILE_LAST_MODIFIED + " are missing");
        }
        return new FileKey(SourceName.of(exchange), name, size, modified);
    }
}
