package io.admconnect.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 strictly (a {@link CharsetDecoder} that reports malformed and unmappable input) and,
 * unlike {@link java.io.InputStreamReader}, hands out every character decoded before an invalid byte
 * sequence before it throws, so that the caller knows on which line the bad bytes are. A UTF-8 byte order
 * mark at the start is skipped. {@link #checkStart()} looks at the first block ({@value #SNIFF_BYTES}
 * bytes) before anything is read: NUL bytes there mean binary data, a UTF-16 byte order mark or invalid
 * UTF-8 there means not UTF-8 text.
 */
final class StrictUtf8Reader extends Reader {

    static final int SNIFF_BYTES = 8192;

    /** The first block of the input is not UTF-8 text; the message says why (no content). */
    static final class NotTextException extends IOException {
        NotTextException(String problem) {
            super(problem, null);
        }
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Bytes not yet decoded, in read mode (position..limit). */
    private final ByteBuffer bytes = ByteBuffer.allocate(2 * SNIFF_BYTES);
    private boolean endOfInput;
    private boolean flushed;
    private CharacterCodingException failure;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
        bytes.flip();
    }

    /**
     * Reads the first block and checks it is UTF-8 text: no NUL bytes, no UTF-16 byte order mark, valid
     * UTF-8 (a sequence cut by the end of the block is fine). Skips a UTF-8 byte order mark.
     */
    void checkStart() throws IOException {
        while (bytes.remaining() < SNIFF_BYTES && !endOfInput) {
            fill();
        }
        int start = bytes.position();
        int end = Math.min(bytes.limit(), start + SNIFF_BYTES);
        boolean wholeInput = endOfInput && end == bytes.limit();
        byte[] array = bytes.array();
        if (end - start >= 2 && ((array[start] == (byte) 0xFE && array[start + 1] == (byte) 0xFF)
                || (array[start] == (byte) 0xFF && array[start + 1] == (byte) 0xFE))) {
            throw new NotTextException("not UTF-8 text (UTF-16 byte order mark)");
        }
        for (int i = start; i < end; i++) {
            if (array[i] == 0) {
                throw new NotTextException("not text (binary data: NUL bytes in the first " + SNIFF_BYTES + " bytes)");
            }
        }
        if (end - start >= 3 && array[start] == (byte) 0xEF && array[start + 1] == (byte) 0xBB && array[start + 2] == (byte) 0xBF) {
            bytes.position(start + 3);
        }
        CharsetDecoder check = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer sniff = bytes.duplicate();
        sniff.limit(end);
        CoderResult result = check.decode(sniff, CharBuffer.allocate(end - sniff.position() + 16), wholeInput);
        if (result.isError()) {
            throw new NotTextException("not UTF-8 text (invalid byte sequence in the first " + SNIFF_BYTES + " bytes)");
        }
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            CoderResult result = flushed ? CoderResult.UNDERFLOW : decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                failure = result.isMalformed()
                        ? new java.nio.charset.MalformedInputException(result.length())
                        : new java.nio.charset.UnmappableCharacterException(result.length());
                if (out.position() > off) {
                    return out.position() - off;
                }
                throw failure;
            }
            if (result.isOverflow() || out.position() > off) {
                return out.position() - off;
            }
            if (endOfInput) {
                if (!flushed) {
                    decoder.flush(out);
                    flushed = true;
                    if (out.position() > off) {
                        return out.position() - off;
                    }
                }
                return -1;
            }
            fill();
        }
    }

    /** Reads more bytes behind the undecoded ones; sets {@link #endOfInput} at the end of the stream. */
    private void fill() throws IOException {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
            }
        } finally {
            bytes.flip();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
