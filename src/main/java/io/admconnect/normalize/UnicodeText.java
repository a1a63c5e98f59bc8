package io.admconnect.normalize;

/**
 * Character classes as the reference defines them: "letter", "number" and "whitespace" are Unicode
 * properties, never ASCII-only. All methods take code points.
 */
final class UnicodeText {

    private UnicodeText() {
    }

    /** Unicode whitespace, including the no-break spaces that {@link Character#isWhitespace} excludes. */
    static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == 0x85;
    }

    /** A number in any script: general category Nd, Nl or No. */
    static boolean isNumber(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** A regex word character: letter, number or underscore. Combining marks are not word characters. */
    static boolean isWordChar(int codePoint) {
        return Character.isLetter(codePoint) || isNumber(codePoint) || codePoint == '_';
    }

    /** True when {@code text} is non-empty and every code point in it is a number. */
    static boolean isAllNumbers(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (!isNumber(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    /** {@code text} without leading and trailing Unicode whitespace. */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end) {
            int codePoint = text.codePointAt(start);
            if (!isWhitespace(codePoint)) {
                break;
            }
            start += Character.charCount(codePoint);
        }
        while (end > start) {
            int codePoint = text.codePointBefore(end);
            if (!isWhitespace(codePoint)) {
                break;
            }
            end -= Character.charCount(codePoint);
        }
        return text.substring(start, end);
    }
}
