package io.admconnect.normalize;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Amazon's own single-field cases from peer-vectors.jsonl (sources {@code A1:<country>} and {@code A2}). */
class PeerVectorsTest {

    private static final IdentityNormalizer NORMALIZER = IdentityNormalizer.amazon();

    @TestFactory
    Stream<DynamicTest> amazonPeerVectors() {
        List<JsonNode> amazonLines = VectorFiles.readLines("peer-vectors.jsonl").stream()
                .filter(line -> isAmazonSource(VectorFiles.text(line, "source")))
                .toList();
        assertFalse(amazonLines.isEmpty(), "no Amazon lines in peer-vectors.jsonl");
        return amazonLines.stream().map(line -> DynamicTest.dynamicTest(
                VectorFiles.text(line, "source") + " " + VectorFiles.text(line, "field") + " "
                        + VectorFiles.text(line, "input"),
                () -> check(line)));
    }

    private static boolean isAmazonSource(String source) {
        return source != null && (source.startsWith("A1") || source.equals("A2"));
    }

    private static void check(JsonNode line) {
        String source = VectorFiles.text(line, "source");
        String country = source.startsWith("A1:") ? source.substring(3).toUpperCase(Locale.ROOT) : null;
        String name = VectorFiles.text(line, "field");
        IdentityField field = IdentityField.fromCanonicalName("postal".equals(name) ? "postalCode" : name)
                .orElseThrow(() -> new AssertionError("unknown field " + name));
        String input = VectorFiles.text(line, "input");
        assertAll(
                () -> assertEquals(VectorFiles.text(line, "normalized"), NORMALIZER.normalize(field, input, country),
                        "normalized"),
                () -> assertEquals(VectorFiles.text(line, "sha256"), NORMALIZER.hash(field, input, country),
                        "sha256"));
    }
}
