package io.admconnect.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON-lines test vectors under {@code /vectors} on the test classpath. */
final class VectorFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VectorFiles() {
    }

    static List<JsonNode> readLines(String name) {
        String resource = "/vectors/" + name;
        try (InputStream in = VectorFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test vectors: " + resource);
            }
            List<JsonNode> lines = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.add(MAPPER.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a JSON field, or null when the field is absent or JSON null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
