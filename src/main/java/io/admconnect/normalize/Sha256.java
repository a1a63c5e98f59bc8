package io.admconnect.normalize;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Lowercase hex SHA-256 of UTF-8 text, with one reusable digest and buffers per thread. */
final class Sha256 {

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int HEX_LENGTH = 64;

    /** Per thread: the digest (reset by each digest call), its 32-byte output and the 64 hex characters as bytes. */
    private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

    private Sha256() {
    }

    static String hex(String text) {
        return HASHER.get().hex(text);
    }

    private static final class Hasher {
        private final MessageDigest digest;
        private final byte[] hash = new byte[32];
        private final byte[] hex = new byte[HEX_LENGTH];

        Hasher() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available in this JVM", e);
            }
        }

        /** Millions of hashes per file: only the input's bytes and the resulting string are allocated. */
        String hex(String text) {
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            try {
                digest.digest(hash, 0, hash.length);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < hash.length; i++) {
                hex[2 * i] = HEX_DIGITS[(hash[i] >> 4) & 0xF];
                hex[2 * i + 1] = HEX_DIGITS[hash[i] & 0xF];
            }
            return new String(hex, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The lowercased value when it already is a SHA-256 hex digest (64 hex characters once trimmed),
     * else null.
     */
    static String preHashed(String value) {
        String trimmed = UnicodeText.strip(value);
        if (trimmed.length() != HEX_LENGTH) {
            return null;
        }
        char[] hex = new char[HEX_LENGTH];
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = trimmed.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
                hex[i] = c;
            } else if (c >= 'A' && c <= 'F') {
                hex[i] = (char) (c + ('a' - 'A'));
            } else {
                return null;
            }
        }
        return new String(hex);
    }
}
