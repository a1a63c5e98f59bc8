package io.admconnect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Fidelity against the regression data of Amazon's own uploader: every field of every record, one test
 * each. Where the reference hashed a value ours must be the same hash; where it omitted the value we must
 * omit it too, except phones, which newer numbering metadata may keep. Phones written with '+' are skipped:
 * the reference's generator read the '+' as noise (see normalization.md, "Phone").
 */
class AmazonUploaderVectorsTest {

    private static final IdentityNormalizer NORMALIZER = IdentityNormalizer.amazon();

    @TestFactory
    Stream<DynamicNode> usRecords() {
        return records("us.jsonl");
    }

    @TestFactory
    Stream<DynamicNode> deRecords() {
        return records("de.jsonl");
    }

    private static Stream<DynamicNode> records(String file) {
        List<JsonNode> records = VectorFiles.readLines(file);
        assertEquals(1000, records.size(), file + " record count");
        return records.stream().map(AmazonUploaderVectorsTest::record);
    }

    private static DynamicNode record(JsonNode record) {
        JsonNode input = record.get("input");
        String id = VectorFiles.text(input, "externalUserId");
        String country = VectorFiles.text(input, "countryCode");
        Stream<DynamicTest> fields = record.get("expected").properties().stream()
                .map(Map.Entry::getKey)
                .map(name -> DynamicTest.dynamicTest(name, () -> checkField(id, country, name, input, record)));
        return DynamicContainer.dynamicContainer(id, fields);
    }

    private static void checkField(String id, String country, String name, JsonNode input, JsonNode record) {
        IdentityField field = IdentityField.fromCanonicalName(name)
                .orElseThrow(() -> new AssertionError(id + ": unknown field " + name));
        String value = VectorFiles.text(input, name);
        String expected = VectorFiles.text(record.get("expected"), name);
        if (field == IdentityField.PHONE) {
            assumeFalse(value != null && value.contains("+"),
                    "phone written with '+': the reference data reads '+' as noise");
        }
        String normalized = NORMALIZER.normalize(field, value, country);
        String actual = NORMALIZER.hash(field, value, country);
        String detail = id + " " + name + ": normalized to '" + normalized + "'";
        if (expected != null) {
            assertEquals(expected, actual, detail);
        } else if (field != IdentityField.PHONE) {
            assertNull(actual, detail + " but the reference omitted it");
        }
    }
}
