package io.admconnect.normalize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street address: uppercase, split into tokens, apply the dash and pound rules, replace known words
 * by the country's abbreviations, then join without separator and lowercase.
 *
 * <p>The dash and pound rules reproduce the reference's quirks on purpose (see each rule): a hash
 * that differs from Amazon's never matches, so "fixing" them would lower the match rate.
 */
final class AddressNormalizer {

    private static final Pattern POUND = Pattern.compile("([A-Z]*)#([0-9A-Z/-]*)");
    private static final String POUND_SIGN = "#";
    private static final String CARE_OF = "C/O";

    private final AddressWords words;

    AddressNormalizer(AddressWords words) {
        this.words = words;
    }

    String normalize(String value, String country) {
        // Trimming is implied: whitespace is a delimiter and delimiters are dropped.
        List<String> tokens = tokenize(value.toUpperCase(Locale.ROOT));
        applyDashRule(tokens);
        applyPoundRule(tokens);
        Map<String, String> replacements = words.forCountry(country);
        StringBuilder joined = new StringBuilder(value.length() + 8);
        for (String token : tokens) {
            // One lookup per token: a replacement is never looked up again.
            joined.append(replacements.getOrDefault(token, token));
        }
        return joined.length() == 0 ? null : joined.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Splits at whitespace runs, commas, '.', '!', brackets and the whole word "C/O", dropping them;
     * every other character stays in its token.
     */
    static List<String> tokenize(String upper) {
        List<String> tokens = new ArrayList<>();
        int tokenStart = 0;
        int i = 0;
        while (i < upper.length()) {
            int codePoint = upper.codePointAt(i);
            int delimiterLength = delimiterLengthAt(upper, i, codePoint);
            if (delimiterLength > 0) {
                if (i > tokenStart) {
                    tokens.add(upper.substring(tokenStart, i));
                }
                i += delimiterLength;
                tokenStart = i;
            } else {
                i += Character.charCount(codePoint);
            }
        }
        if (upper.length() > tokenStart) {
            tokens.add(upper.substring(tokenStart));
        }
        return tokens;
    }

    private static int delimiterLengthAt(String text, int index, int codePoint) {
        switch (codePoint) {
            case ',', '.', '!', '(', ')', '[', ']', '{', '}':
                return 1;
            case 'C':
                return isCareOfWordAt(text, index) ? CARE_OF.length() : 0;
            default:
                return UnicodeText.isWhitespace(codePoint) ? Character.charCount(codePoint) : 0;
        }
    }

    /** "C/O" bounded by non-word characters or the ends of the text (a regex {@code \bC/O\b}). */
    private static boolean isCareOfWordAt(String text, int index) {
        if (!text.startsWith(CARE_OF, index)) {
            return false;
        }
        int end = index + CARE_OF.length();
        boolean boundaryBefore = index == 0 || !UnicodeText.isWordChar(text.codePointBefore(index));
        boolean boundaryAfter = end == text.length() || !UnicodeText.isWordChar(text.codePointAt(end));
        return boundaryBefore && boundaryAfter;
    }

    /**
     * A token whose last '-' separates an all-numeric part from a not-all-numeric part is split there,
     * dropping the dash ({@code 123-B} becomes {@code 123}, {@code B}). Like the reference, only the
     * positions that existed before the rule are visited, so each split leaves the last token unexamined.
     */
    static void applyDashRule(List<String> tokens) {
        int positions = tokens.size();
        for (int i = 0; i < positions; i++) {
            String token = tokens.get(i);
            int dash = token.lastIndexOf('-');
            if (dash <= 0 || dash == token.length() - 1) {
                continue;
            }
            String head = token.substring(0, dash);
            String tail = token.substring(dash + 1);
            if (UnicodeText.isAllNumbers(head) && !UnicodeText.isAllNumbers(tail)) {
                tokens.set(i, head);
                tokens.add(i + 1, tail);
            }
        }
    }

    /**
     * Each match of {@code ([A-Z]*)#([0-9A-Z/-]*)} in a token, other than a bare '#', becomes
     * before, '#', after (empty parts left out). As in the reference: characters outside the match are
     * lost, a further match in the same token replaces the previous match's last part, and only the
     * positions that existed before the rule are visited.
     */
    static void applyPoundRule(List<String> tokens) {
        int positions = tokens.size();
        for (int i = 0; i < positions; i++) {
            String token = tokens.get(i);
            if (token.indexOf('#') < 0) {
                continue;
            }
            Matcher match = POUND.matcher(token);
            int replaced = i;
            while (match.find()) {
                String before = match.group(1);
                String after = match.group(2);
                if (before.isEmpty() && after.isEmpty()) {
                    continue;
                }
                tokens.remove(replaced);
                int at = replaced;
                if (!before.isEmpty()) {
                    tokens.add(at++, before);
                }
                tokens.add(at++, POUND_SIGN);
                if (!after.isEmpty()) {
                    tokens.add(at++, after);
                }
                replaced = at - 1;
            }
        }
    }
}
