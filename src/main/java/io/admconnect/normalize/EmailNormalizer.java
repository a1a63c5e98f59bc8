package io.admconnect.normalize;

import java.util.Locale;

/**
 * Email: lowercase, keep word characters (any script), {@code .}, {@code @} and {@code -}; valid only when
 * the cleaned text starts with {@code [\w._-]+@[\w._-]+}. The whole cleaned text is what gets hashed.
 */
final class EmailNormalizer {

    private EmailNormalizer() {
    }

    static String normalize(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        StringBuilder kept = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); ) {
            int codePoint = lower.codePointAt(i);
            if (UnicodeText.isWordChar(codePoint) || codePoint == '.' || codePoint == '@' || codePoint == '-') {
                kept.appendCodePoint(codePoint);
            }
            i += Character.charCount(codePoint);
        }
        // Only word characters, '.', '-' and '@' are left, so the reference's prefix pattern reduces to:
        // something before the first '@', and after it at least one character that is not another '@'.
        int at = kept.indexOf("@");
        if (at <= 0 || at + 1 >= kept.length() || kept.charAt(at + 1) == '@') {
            return null;
        }
        return kept.toString();
    }
}
