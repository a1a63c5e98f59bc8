package io.admconnect.source;

/**
 * How {@link RecordFileReader} reads a file.
 *
 * @param delimiter      the CSV field delimiter (default {@code ,}); not a quote, CR or LF
 * @param chunkSize      the most records one {@link RecordFileReader#next()} returns (default 1000)
 * @param maxRecordChars the longest record (CSV) or line (JSON lines) accepted, in characters (default
 *                       1,000,000); a longer one is rejected as malformed without being held in memory whole
 */
public record RecordFileOptions(char delimiter, int chunkSize, int maxRecordChars) {

    public static final char DEFAULT_DELIMITER = ',';
    public static final int DEFAULT_CHUNK_SIZE = 1000;
    public static final int DEFAULT_MAX_RECORD_CHARS = 1_000_000;

    private static final RecordFileOptions DEFAULTS =
            new RecordFileOptions(DEFAULT_DELIMITER, DEFAULT_CHUNK_SIZE, DEFAULT_MAX_RECORD_CHARS);

    public RecordFileOptions {
        if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException("the CSV delimiter cannot be a double quote, CR or LF");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1");
        }
        if (maxRecordChars < 1) {
            throw new IllegalArgumentException("maxRecordChars must be at least 1");
        }
    }

    public static RecordFileOptions defaults() {
        return DEFAULTS;
    }

    public RecordFileOptions withDelimiter(char delimiter) {
        return new RecordFileOptions(delimiter, chunkSize, maxRecordChars);
    }

    public RecordFileOptions withChunkSize(int chunkSize) {
        return new RecordFileOptions(delimiter, chunkSize, maxRecordChars);
    }

    public RecordFileOptions withMaxRecordChars(int maxRecordChars) {
        return new RecordFileOptions(delimiter, chunkSize, maxRecordChars);
    }
}
