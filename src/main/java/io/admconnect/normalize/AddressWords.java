package io.admconnect.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The address word tables, merged per country in the reference's order. Where several entries share a
 * key the one merged last wins, as in the reference, which looks a token up in every table in order
 * and keeps the last hit.
 */
final class AddressWords {

    private static final List<String> ALWAYS = List.of("NumberIndicators", "DirectionalWords");
    private static final Map<String, List<String>> TABLES_BY_COUNTRY = Map.of(
            "US", List.of("USStreetSuffixes", "USSubBuildingDesignator"),
            "CA", List.of("DefaultStreetSuffixes"),
            "DE", List.of("DefaultStreetSuffixes"),
            "JP", List.of("DefaultStreetSuffixes"),
            "IN", List.of("DefaultStreetSuffixes"),
            "GB", List.of("UKOrganizationSuffixes", "UKStreetSuffixes", "UKSubBuildingDesignator"),
            "FR", List.of("FRStreetDesignator", "DefaultStreetSuffixes"),
            "ES", List.of("DefaultStreetSuffixes", "ESStreetPrefixes"),
            "IT", List.of("DefaultStreetSuffixes", "ITStreetPrefixes"));

    private final Map<String, Map<String, String>> wordsByCountry;
    private final Map<String, String> otherCountries;

    private AddressWords(Map<String, Map<String, String>> wordsByCountry, Map<String, String> otherCountries) {
        this.wordsByCountry = wordsByCountry;
        this.otherCountries = otherCountries;
    }

    /** Loads {@code address-words.json}: {@code {tableName: [{WORD: REPLACEMENT}, ...]}}. */
    static AddressWords fromTable(JsonNode root) {
        Map<String, Map<String, String>> byCountry = new HashMap<>();
        TABLES_BY_COUNTRY.forEach((country, tables) -> byCountry.put(country, merge(root, tables)));
        return new AddressWords(Map.copyOf(byCountry), merge(root, List.of()));
    }

    /** Replacement words for the country's addresses: uppercase token to uppercase replacement. */
    Map<String, String> forCountry(String country) {
        return wordsByCountry.getOrDefault(country, otherCountries);
    }

    private static Map<String, String> merge(JsonNode root, List<String> countryTables) {
        Map<String, String> words = new HashMap<>();
        for (String table : ALWAYS) {
            putAll(root, table, words);
        }
        for (String table : countryTables) {
            putAll(root, table, words);
        }
        return Map.copyOf(words);
    }

    private static void putAll(JsonNode root, String table, Map<String, String> words) {
        JsonNode entries = root.get(table);
        if (entries == null || !entries.isArray()) {
            throw new IllegalStateException("Address word table missing or not a list: " + table);
        }
        for (JsonNode entry : entries) {
            for (Map.Entry<String, JsonNode> word : entry.properties()) {
                words.put(word.getKey(), word.getValue().asText());
            }
        }
    }
}
