package io.admconnect.normalize;

import java.util.Locale;

/**
 * First/last names and city: lowercase, then keep only {@code [a-z0-9]}. Person names first transliterate
 * the German and Nordic letters the reference knows; every other accented letter is dropped, not folded.
 */
final class NameNormalizer {

    private NameNormalizer() {
    }

    static String personName(String value) {
        return keepAsciiAlphanumerics(value, true);
    }

    static String city(String value) {
        return keepAsciiAlphanumerics(value, false);
    }

    private static String keepAsciiAlphanumerics(String value, boolean transliterate) {
        String lower = value.toLowerCase(Locale.ROOT);
        StringBuilder kept = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                kept.append(c);
            } else if (transliterate) {
                appendTransliteration(c, kept);
            }
        }
        return kept.length() == 0 ? null : kept.toString();
    }

    private static void appendTransliteration(char c, StringBuilder out) {
        switch (c) {
            case 'ß' -> out.append("ss");
            case 'ä', 'æ' -> out.append("ae");
            case 'ö' -> out.append("oe");
            case 'ü' -> out.append("ue");
            case 'ø' -> out.append('o');
            default -> {
                // any other character is deleted
            }
        }
    }
}
