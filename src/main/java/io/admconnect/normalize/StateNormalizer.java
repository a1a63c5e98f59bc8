package io.admconnect.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * State or province: uppercase and keep {@code [A-Z]}; a name in the country's table becomes its code,
 * anything else keeps its first two letters when the original value was longer than two characters.
 */
final class StateNormalizer {

    private final Map<String, Map<String, String>> codesByCountry;

    private StateNormalizer(Map<String, Map<String, String>> codesByCountry) {
        this.codesByCountry = codesByCountry;
    }

    /** Loads {@code state-codes.json}: {@code {country: {NAME: CODE}}}. */
    static StateNormalizer fromTable(JsonNode root) {
        Map<String, Map<String, String>> byCountry = new HashMap<>();
        for (Map.Entry<String, JsonNode> country : root.properties()) {
            Map<String, String> codes = new HashMap<>();
            // Codes are stored lowercased, the form they are hashed in.
            for (Map.Entry<String, JsonNode> name : country.getValue().properties()) {
                codes.put(name.getKey(), name.getValue().asText().toLowerCase(Locale.ROOT));
            }
            byCountry.put(country.getKey(), Map.copyOf(codes));
        }
        return new StateNormalizer(Map.copyOf(byCountry));
    }

    String normalize(String value, String country) {
        String upper = value.toUpperCase(Locale.ROOT);
        StringBuilder letters = new StringBuilder(upper.length());
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                letters.append(c);
            }
        }
        if (letters.length() == 0) {
            return null;
        }
        String name = letters.toString();
        Map<String, String> codes = codesByCountry.get(country);
        String code = codes == null ? null : codes.get(name);
        if (code != null) {
            return code;
        }
        // The reference measures the raw value (untrimmed, in characters), not the cleaned letters.
        boolean longOriginal = value.codePointCount(0, value.length()) > 2;
        String kept = longOriginal && name.length() > 2 ? name.substring(0, 2) : name;
        return kept.toLowerCase(Locale.ROOT);
    }
}
