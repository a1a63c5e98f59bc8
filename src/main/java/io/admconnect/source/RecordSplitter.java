package io.admconnect.source;

import java.io.IOException;
import java.io.Reader;

/**
 * Cuts a character stream into the text of single records, with the physical line each one starts on,
 * holding at most one record (plus, after a recovery, the rest of that record) in memory.
 *
 * <p>Line breaks are LF, CRLF or a lone CR (as Commons CSV reads them). Blank lines (only whitespace other
 * than the delimiter) between records are skipped.
 *
 * <p>JSON lines mode: a record is one physical line.
 *
 * <p>CSV mode: a record ends at a line break outside a quoted field. The scanner follows the quoting rules
 * of Commons CSV's lexer (RFC 4180 with {@code "} as quote and no escape character): a field is quoted only
 * when its first character is the quote; inside it {@code ""} is a quote and line breaks are content; after
 * the closing quote only whitespace may come before the delimiter or the line break. It does not produce
 * field values (Commons CSV does, from the record text); it only finds record boundaries and detects
 * records Commons CSV would refuse, so that one bad record never costs the rest of the file:
 * <ul>
 * <li>a record that breaks the quoting rules (text after a closing quote) or whose quoted field is still
 * open at the end of the file is <em>malformed</em>, one longer than {@code maxRecordChars} is <em>too
 * large</em>: either is reported at its starting line, and</li>
 * <li>scanning resumes at the <em>next physical line after the one the bad record started on</em>: the rest of
 * the record is scanned again as ordinary lines. A stray quote (the usual cause) therefore costs only its
 * own line, even though an open quote swallows the following lines as far as the CSV grammar goes.</li>
 * <li>When a record exceeds the size limit while still on its first physical line, the rest of that line is
 * skipped without being stored (quotes are no longer followed) and scanning resumes after it.</li>
 * </ul>
 * The rescan keeps memory bounded: the text scanned again is at most the record buffer, itself capped at
 * {@code maxRecordChars}.
 */
final class RecordSplitter {

    /**
     * A record's text (without its line break) and starting line; {@code text == null}: unreadable, either
     * malformed or, with {@code tooLarge}, longer than {@code maxRecordChars}.
     */
    record Raw(long line, String text, boolean tooLarge) {
        Raw(long line, String text) {
            this(line, text, false);
        }

        boolean malformed() {
            return text == null;
        }
    }

    private static final int EOF = -1;
    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    /** Saw a quote inside a quoted field: an escaped quote if another follows, else the closing quote. */
    private static final int QUOTE_IN_QUOTED = 3;
    /** After the closing quote: whitespace, then the delimiter or the line break. */
    private static final int AFTER_CLOSE = 4;

    private final Reader reader;
    private final boolean csv;
    private final char delimiter;
    private final int maxRecordChars;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private boolean endOfInput;
    /** Text to scan again before the stream (after a malformed record), from {@link #replayPosition}. */
    private String replay;
    private int replayPosition;
    /** The physical line of the next character. */
    private long line = 1;
    private boolean atLineStart = true;
    private final StringBuilder record = new StringBuilder();

    RecordSplitter(Reader reader, boolean csv, char delimiter, int maxRecordChars) {
        this.reader = reader;
        this.csv = csv;
        this.delimiter = delimiter;
        this.maxRecordChars = maxRecordChars;
    }

    /** Physical lines read so far (a rescan after a malformed record resets the count to where it resumes). */
    long linesRead() {
        return line - 1 + (atLineStart ? 0 : 1);
    }

    /** The physical line of the next character to read (where a decoding failure is). */
    long line() {
        return line;
    }

    /** The next record, or null at the end of the input. */
    Raw next() throws IOException {
        return csv ? nextCsvRecord() : nextLine();
    }

    // ------------------------------------------------------------------------------------------ JSON lines

    private Raw nextLine() throws IOException {
        while (true) {
            int c = read();
            if (c == EOF) {
                return null;
            }
            long start = line;
            record.setLength(0);
            boolean blank = true;
            while (c != EOF && c != '\r' && c != '\n') {
                if (record.length() >= maxRecordChars) {
                    skipRestOfLine(c);
                    return new Raw(start, null, true);
                }
                record.append((char) c);
                blank = blank && Character.isWhitespace(c);
                c = read();
            }
            endLine(c);
            if (!blank) {
                return new Raw(start, record.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ CSV

    private Raw nextCsvRecord() throws IOException {
        while (true) {
            int c = read();
            if (c == EOF) {
                return null;
            }
            long start = line;
            record.setLength(0);
            int state = FIELD_START;
            boolean blank = true;
            boolean bad = false;
            int firstLineEnd = -1;
            while (true) {
                if (c == EOF) {
                    if (state == QUOTED) {
                        // The quoted field never closed: rescan from the second line of the record.
                        return unreadable(start, firstLineEnd, "", false);
                    }
                    if (blank) {
                        return null;
                    }
                    return bad ? unreadable(start, firstLineEnd, "", false) : new Raw(start, record.toString());
                }
                if ((c == '\r' || c == '\n') && state != QUOTED) {
                    endLine(c);
                    if (blank) {
                        break; // a blank line: skip it, start over on the next line
                    }
                    return bad ? unreadable(start, firstLineEnd, "\n", false) : new Raw(start, record.toString());
                }
                if (record.length() >= maxRecordChars) {
                    return tooLong(start, firstLineEnd, c);
                }
                record.append((char) c);
                switch (state) {
                    case FIELD_START -> {
                        if (c == '"') {
                            state = QUOTED;
                            blank = false;
                        } else if (c == delimiter) {
                            blank = false;
                        } else {
                            state = UNQUOTED;
                            blank = blank && Character.isWhitespace(c);
                        }
                    }
                    case UNQUOTED -> {
                        if (c == delimiter) {
                            state = FIELD_START;
                            blank = false;
                        } else {
                            blank = blank && Character.isWhitespace(c);
                        }
                    }
                    case QUOTED -> {
                        if (c == '"') {
                            state = QUOTE_IN_QUOTED;
                        } else if (c == '\r' || c == '\n') {
                            if (c == '\r' && peek() == '\n') {
                                if (record.length() >= maxRecordChars) {
                                    // keep CRLF together: the LF goes to the rescan with the rest
                                    return tooLong(start, firstLineEnd, read());
                                }
                                record.append((char) read());
                            }
                            line++;
                            atLineStart = true;
                            if (firstLineEnd < 0) {
                                firstLineEnd = record.length();
                            }
                        }
                    }
                    case QUOTE_IN_QUOTED -> {
                        if (c == '"') {
                            state = QUOTED; // "" inside quotes
                        } else if (c == delimiter) {
                            state = FIELD_START;
                        } else if (Character.isWhitespace(c)) {
                            state = AFTER_CLOSE;
                        } else {
                            bad = true; // text after the closing quote: Commons CSV refuses the record
                            state = UNQUOTED;
                        }
                    }
                    case AFTER_CLOSE -> {
                        if (c == delimiter) {
                            state = FIELD_START;
                        } else if (!Character.isWhitespace(c)) {
                            bad = true;
                            state = UNQUOTED;
                        }
                    }
                    default -> throw new IllegalStateException();
                }
                c = read();
            }
        }
    }

    /**
     * The record at {@code start} is malformed or too large. If it spans several physical lines, everything
     * after its first line is scanned again ({@code ending} restores the line break that ended it).
     */
    private Raw unreadable(long start, int firstLineEnd, String ending, boolean tooLarge) {
        if (firstLineEnd >= 0) {
            pushBack(record.substring(firstLineEnd) + ending);
            line = start + 1;
            atLineStart = true;
        }
        return new Raw(start, null, tooLarge);
    }

    /** The record reached the size limit at character {@code c} (not stored yet). */
    private Raw tooLong(long start, int firstLineEnd, int c) throws IOException {
        if (firstLineEnd >= 0) {
            return unreadable(start, firstLineEnd, c == EOF ? "" : String.valueOf((char) c), true);
        }
        skipRestOfLine(c);
        return new Raw(start, null, true);
    }

    // ------------------------------------------------------------------------------------------ characters

    /** Skips to the end of the physical line, from the current character {@code c}, storing nothing. */
    private void skipRestOfLine(int c) throws IOException {
        while (c != EOF && c != '\r' && c != '\n') {
            c = read();
        }
        endLine(c);
    }

    /** {@code c} ended a line (or the input): consumes the LF of a CRLF and counts the line. */
    private void endLine(int c) throws IOException {
        if (c == EOF) {
            return;
        }
        if (c == '\r' && peek() == '\n') {
            read();
        }
        line++;
        atLineStart = true;
    }

    private void pushBack(String text) {
        if (text.isEmpty()) {
            return;
        }
        if (replay != null && replayPosition < replay.length()) {
            replay = text + replay.substring(replayPosition);
        } else {
            replay = text;
        }
        replayPosition = 0;
    }

    private int read() throws IOException {
        int c = peek();
        if (c != EOF) {
            if (replay != null) {
                replayPosition++;
            } else {
                position++;
            }
            atLineStart = false;
        }
        return c;
    }

    private int peek() throws IOException {
        if (replay != null) {
            if (replayPosition < replay.length()) {
                return replay.charAt(replayPosition);
            }
            replay = null;
        }
        if (position >= limit) {
            if (endOfInput) {
                return EOF;
            }
            int n;
            do {
                n = reader.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                endOfInput = true;
                return EOF;
            }
            position = 0;
            limit = n;
        }
        return buffer[position];
    }
}
