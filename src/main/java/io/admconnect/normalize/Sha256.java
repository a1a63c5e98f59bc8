package io.admconnect.normalize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Lowercase hex SHA-256 of UTF-8 text, with one reusable digest per thread. */
final class Sha256 {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    private static final int HEX_LENGTH = 64;

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    });

    private Sha256() {
    }

    static String hex(String text) {
        // digest() resets the instance, so the per-thread digest is always clean for the next call.
        byte[] digest = DIGEST.get().digest(text.getBytes(StandardCharsets.UTF_8));
        char[] hex = new char[HEX_LENGTH];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX_DIGITS[(digest[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX_DIGITS[digest[i] & 0xF];
        }
        return new String(hex);
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
