package io.admconnect.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import io.admconnect.processor.SourceRecord;

/**
 * Streams a dropped file ({@code *.csv} or {@code *.jsonl}, UTF-8) into chunks of {@link SourceRecord}s,
 * holding one chunk at a time: a file of any length runs in bounded memory. Made for a streaming Camel
 * splitter: {@link #next()} returns up to {@code chunkSize} records, in file order, each with the physical
 * line it starts on as its position.
 *
 * <h2>Formats</h2>
 * <ul>
 * <li><b>CSV</b> (RFC 4180 through Commons CSV): quoted fields with {@code ""} escapes and embedded line
 * breaks, CRLF, LF or CR line ends, a configurable delimiter. The first non-blank row is the header
 * (names trimmed); it names the columns the {@link FieldMapping} reads (without a mapping, or with
 * {@link FieldMapping#identity()}, the header holds canonical names). A header from which the mapping
 * cannot get {@code externalUserId}, or with a repeated column name, makes the file unusable. A row with
 * another number of fields than the header, or that Commons CSV cannot parse, is rejected on its own as
 * {@link SourceRecord#malformed(long) malformed}; how reading recovers is described in
 * {@link RecordSplitter}. Blank lines are skipped.</li>
 * <li><b>JSON lines</b>: one JSON object per line (Jackson, limits of {@link RecordJson}); nested objects are
 * reachable through dotted paths in the mapping. A line that is not exactly one JSON object (broken JSON, an
 * array, a number, trailing text, a repeated key, nesting deeper than {@value RecordJson#MAX_NESTING_DEPTH})
 * is malformed. Blank lines are skipped.</li>
 * </ul>
 *
 * <h2>Whole-file problems: {@link UnusableFileException}</h2>
 * <ul>
 * <li>From {@link #open}: an unsupported file type; a mapping without {@code externalUserId}; a CSV header
 * without it; a first block ({@value StrictUtf8Reader#SNIFF_BYTES} bytes) that is not UTF-8 text (invalid
 * UTF-8, a UTF-16 byte order mark, or NUL bytes: binary data). The stream is closed.</li>
 * <li>From {@link #next()}: invalid UTF-8 found later. The records that end before the invalid bytes have
 * been (or, in the current chunk, are first) handed out; the <em>following</em> {@code next()} throws
 * (when no record precedes the bad bytes, the first {@code next()} throws). Earlier chunks may thus already
 * be processed when the file turns out to be unusable; the caller moves the file to {@code .error/} all the
 * same. After the exception {@link #hasNext()} is false.</li>
 * <li>An {@link IOException} of the underlying stream surfaces the same way, as an
 * {@link UncheckedIOException} (not a property of the file).</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * A record (CSV) or line (JSON lines) longer than {@code maxRecordChars} is rejected as
 * {@link SourceRecord#tooLarge(long) too large} and skipped without being held whole (at most
 * {@code maxRecordChars} characters of it are). A chunk ends early once it holds
 * about {@value #CHUNK_CHARS} characters, so that {@code chunkSize} times {@code maxRecordChars} never has
 * to fit in memory.
 *
 * <p>No record value ever goes into an exception message or a log line: messages name the file, the line
 * and the problem only. Not thread-safe (one reader per file).
 */
public final class RecordFileReader implements Iterator<List<SourceRecord>>, Closeable {

    /** The file types this reader takes, by extension. */
    public enum Format {
        CSV, JSONL
    }

    /** A chunk ends early once its records hold this many characters. */
    static final int CHUNK_CHARS = 4_000_000;

    private static final ObjectReader JSON_OBJECT =
            RecordJson.MAPPER.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {
            });

    private final String fileName;
    private final Format format;
    private final FieldMapping mapping;
    private final RecordFileOptions options;
    private final StrictUtf8Reader reader;
    private final RecordSplitter splitter;
    private final CsvRows csvRows;
    /** CSV: the column names (trimmed; "" for an unnamed column); null for an empty file. */
    private String[] header;

    private List<SourceRecord> ready;
    private RuntimeException failure;
    private boolean endOfFile;
    private boolean closed;
    private long recordsRead;
    private long malformed;

    private RecordFileReader(InputStream in, String fileName, Format format, FieldMapping mapping, RecordFileOptions options) {
        this.fileName = fileName;
        this.format = format;
        this.mapping = mapping;
        this.options = options;
        this.reader = new StrictUtf8Reader(in);
        this.splitter = new RecordSplitter(reader, format == Format.CSV, options.delimiter(), options.maxRecordChars());
        this.csvRows = format == Format.CSV ? new CsvRows(options.delimiter()) : null;
    }

    /**
     * Opens a file for reading with the default options.
     *
     * @see #open(InputStream, String, FieldMapping, RecordFileOptions)
     */
    public static RecordFileReader open(InputStream in, String fileName, FieldMapping mapping) {
        return open(in, fileName, mapping, RecordFileOptions.defaults());
    }

    /**
     * Opens a file: picks the format from the name's extension, checks the file starts as UTF-8 text and,
     * for CSV, reads the header. On failure the stream is closed.
     *
     * @param in       the file's bytes; closed by {@link #close()}
     * @param fileName the file's name (for the format and for messages)
     * @param mapping  native to canonical fields; null means {@link FieldMapping#identity()}
     * @param options  null means {@link RecordFileOptions#defaults()}
     * @throws UnusableFileException when the file cannot be read as a whole
     * @throws UncheckedIOException  when reading the stream fails
     */
    public static RecordFileReader open(InputStream in, String fileName, FieldMapping mapping, RecordFileOptions options) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(fileName, "fileName");
        RecordFileReader fileReader = null;
        boolean opened = false;
        try {
            Format format = formatOf(fileName);
            if (format == null) {
                throw new UnusableFileException(fileName, "unsupported file type (expected .csv or .jsonl)");
            }
            FieldMapping effective = mapping == null ? FieldMapping.identity() : mapping;
            if (!effective.maps(FieldMapping.EXTERNAL_USER_ID)) {
                throw new UnusableFileException(fileName, "the field mapping does not map externalUserId");
            }
            fileReader = new RecordFileReader(in, fileName, format, effective, options == null ? RecordFileOptions.defaults() : options);
            fileReader.start();
            opened = true;
            return fileReader;
        } finally {
            if (!opened) {
                closeQuietly(in);
            }
        }
    }

    /** The format for a file name ({@code .csv} or {@code .jsonl}, any case), or null when unsupported. */
    public static Format formatOf(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".jsonl")) {
            return Format.JSONL;
        }
        return null;
    }

    public static boolean isSupported(String fileName) {
        return formatOf(fileName) != null;
    }

    private void start() {
        try {
            reader.checkStart();
            if (format == Format.CSV) {
                readHeader();
            }
        } catch (StrictUtf8Reader.NotTextException e) {
            throw new UnusableFileException(fileName, e.getMessage());
        } catch (CharacterCodingException e) {
            throw notUtf8();
        } catch (IOException e) {
            throw new UncheckedIOException(fileName + ": cannot read the file", e);
        }
    }

    private void readHeader() throws IOException {
        RecordSplitter.Raw raw = splitter.next();
        if (raw == null) {
            endOfFile = true; // an empty file: no records, no header to check
            return;
        }
        String[] names = raw.malformed() ? null : csvRows.parseOne(raw.text());
        if (names == null) {
            throw new UnusableFileException(fileName, "the header row (line " + raw.line() + ") cannot be parsed as CSV");
        }
        Set<String> columns = new HashSet<>();
        for (int i = 0; i < names.length; i++) {
            names[i] = names[i].strip();
            if (!names[i].isEmpty() && !columns.add(names[i])) {
                throw new UnusableFileException(fileName, "the header row repeats a column name (column " + (i + 1) + ")");
            }
        }
        if (!mapping.resolvableFrom(FieldMapping.EXTERNAL_USER_ID, columns)) {
            String hint = "";
            if (mapping.isIdentity()) {
                hint = columns.stream().anyMatch(FieldMapping.EXTERNAL_USER_ID::equalsIgnoreCase)
                        ? " (column names are case-sensitive: externalUserId)"
                        : " (the header must name the canonical columns, or the route must map them)";
            }
            throw new UnusableFileException(fileName, "no externalUserId column after mapping" + hint);
        }
        header = names;
    }

    // ------------------------------------------------------------------------------------------ iteration

    @Override
    public boolean hasNext() {
        if (ready == null && failure == null && !endOfFile && !closed) {
            fill();
        }
        return ready != null || failure != null;
    }

    /**
     * The next chunk: 1 to {@code chunkSize} records.
     *
     * @throws UnusableFileException when the file turned out not to be UTF-8 text
     * @throws UncheckedIOException  when reading the stream failed
     */
    @Override
    public List<SourceRecord> next() {
        if (!hasNext()) {
            throw new NoSuchElementException(fileName + ": no more records");
        }
        if (ready != null) {
            List<SourceRecord> chunk = ready;
            ready = null;
            return chunk;
        }
        RuntimeException thrown = failure;
        failure = null;
        endOfFile = true;
        throw thrown;
    }

    private void fill() {
        List<RecordSplitter.Raw> raws = new ArrayList<>(Math.min(options.chunkSize(), 4096));
        long chars = 0;
        try {
            while (raws.size() < options.chunkSize() && chars < CHUNK_CHARS) {
                RecordSplitter.Raw raw = splitter.next();
                if (raw == null) {
                    endOfFile = true;
                    break;
                }
                raws.add(raw);
                chars += raw.malformed() ? 0 : raw.text().length();
            }
        } catch (CharacterCodingException e) {
            failure = notUtf8();
        } catch (IOException e) {
            failure = new UncheckedIOException(fileName + ": cannot read the file (near line " + splitter.linesRead() + ")", e);
        }
        if (!raws.isEmpty()) {
            ready = format == Format.CSV ? csvRecords(raws) : jsonRecords(raws);
            recordsRead += ready.size();
        }
    }

    private UnusableFileException notUtf8() {
        return new UnusableFileException(fileName, "not UTF-8 text (invalid byte sequence on line " + splitter.line() + ")");
    }

    // ------------------------------------------------------------------------------------------ CSV

    /** The records of a chunk of CSV rows: parsed by {@link CsvRows}, checked against the header, mapped. */
    private List<SourceRecord> csvRecords(List<RecordSplitter.Raw> raws) {
        List<String> texts = new ArrayList<>(raws.size());
        for (RecordSplitter.Raw raw : raws) {
            if (!raw.malformed()) {
                texts.add(raw.text());
            }
        }
        List<String[]> values = csvRows.parse(texts);
        List<SourceRecord> records = new ArrayList<>(raws.size());
        int next = 0;
        for (RecordSplitter.Raw raw : raws) {
            String[] row = raw.malformed() ? null : values.get(next++);
            if (row == null || row.length != header.length) {
                records.add(unreadable(raw));
                continue;
            }
            records.add(SourceRecord.of(raw.line(), mapping.apply(header, row)));
        }
        return records;
    }

    // ------------------------------------------------------------------------------------------ JSON lines

    private List<SourceRecord> jsonRecords(List<RecordSplitter.Raw> raws) {
        List<SourceRecord> records = new ArrayList<>(raws.size());
        for (RecordSplitter.Raw raw : raws) {
            Map<String, Object> object = raw.malformed() ? null : parseObject(raw.text());
            records.add(object == null ? unreadable(raw) : SourceRecord.of(raw.line(), mapping.apply(object)));
        }
        return records;
    }

    private static Map<String, Object> parseObject(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.charAt(0) != '{') {
            return null;
        }
        try {
            return JSON_OBJECT.readValue(text);
        } catch (IOException | RuntimeException e) {
            return null; // Jackson's message may quote the line: never passed on
        }
    }

    /** A record that cannot be read: too large, or malformed (also a parsed one that is no record). */
    private SourceRecord unreadable(RecordSplitter.Raw raw) {
        malformed++;
        return raw.tooLarge() ? SourceRecord.tooLarge(raw.line()) : SourceRecord.malformed(raw.line());
    }

    // ------------------------------------------------------------------------------------------ progress

    public String fileName() {
        return fileName;
    }

    public Format format() {
        return format;
    }

    /** Records handed out so far, malformed ones included. */
    public long recordsRead() {
        return recordsRead;
    }

    /** Records handed out so far that could not be read (malformed or too large). */
    public long malformedRecords() {
        return malformed;
    }

    /** Physical lines read so far (for progress logging; read-ahead of the current chunk included). */
    public long currentLine() {
        return splitter.linesRead();
    }

    /** How many chunks had to be parsed row by row (tests: well-formed input never needs to). */
    long blockFallbacks() {
        return csvRows == null ? 0 : csvRows.fallbacks();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            ready = null;
            reader.close();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the open failure is what matters
        }
    }
}
