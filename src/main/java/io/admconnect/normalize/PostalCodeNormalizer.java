package io.admconnect.normalize;

import java.util.regex.Pattern;

/**
 * Postal code: per country keep the named characters, cut to the named length, then require the shape.
 * Countries without a rule of their own use the US rule (five ASCII digits).
 */
final class PostalCodeNormalizer {

    private static final Pattern CANADIAN_SHAPE = Pattern.compile("(?:[A-Za-z][0-9]){3}");
    private static final Pattern UK_SHAPE = Pattern.compile(
            "(?:[A-Za-z]{1,2}[0-9]{2,3}|[A-Za-z]{1,2}[0-9][A-Za-z][0-9])[A-Za-z]{2}");

    private PostalCodeNormalizer() {
    }

    static String normalize(String value, String country) {
        return switch (country) {
            // CA and GB keep the letters' case as given: the reference never case-folds them.
            case "CA" -> shaped(keepAsciiAlphanumerics(value, 6), CANADIAN_SHAPE);
            case "GB" -> shaped(keepAsciiAlphanumerics(value, 7), UK_SHAPE);
            case "IN" -> exactLength(keepDecimalDigitsOfAnyScript(value, 6), 6);
            case "JP" -> exactLength(keepAsciiDigits(value, 7), 7);
            default -> exactLength(keepAsciiDigits(value, 5), 5);
        };
    }

    private static String shaped(String candidate, Pattern shape) {
        return shape.matcher(candidate).matches() ? candidate : null;
    }

    private static String exactLength(String candidate, int codePoints) {
        return candidate.codePointCount(0, candidate.length()) == codePoints ? candidate : null;
    }

    private static String keepAsciiDigits(String value, int limit) {
        StringBuilder kept = new StringBuilder(limit);
        for (int i = 0; i < value.length() && kept.length() < limit; i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private static String keepAsciiAlphanumerics(String value, int limit) {
        StringBuilder kept = new StringBuilder(limit);
        for (int i = 0; i < value.length() && kept.length() < limit; i++) {
            char c = value.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    /** Decimal digits of any script, kept as written (not mapped to ASCII), counted in code points. */
    private static String keepDecimalDigitsOfAnyScript(String value, int limit) {
        StringBuilder kept = new StringBuilder(limit);
        int count = 0;
        for (int i = 0; i < value.length() && count < limit; ) {
            int codePoint = value.codePointAt(i);
            if (Character.isDigit(codePoint)) {
                kept.appendCodePoint(codePoint);
                count++;
            }
            i += Character.charCount(codePoint);
        }
        return kept.toString();
    }
}
