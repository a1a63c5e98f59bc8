package io.admconnect.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the word and code tables shipped under {@code /normalization} on the classpath. */
final class ReferenceTables {

    static final String ADDRESS_WORDS = "/normalization/address-words.json";
    static final String STATE_CODES = "/normalization/state-codes.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReferenceTables() {
    }

    static JsonNode read(String resource) {
        try (InputStream in = ReferenceTables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing normalization table on the classpath: " + resource);
            }
            JsonNode root = MAPPER.readTree(in);
            if (root == null || !root.isObject()) {
                throw new IllegalStateException("Normalization table is not a JSON object: " + resource);
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read normalization table " + resource, e);
        }
    }
}
