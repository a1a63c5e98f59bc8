package io.admconnect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One shared normalizer used from several threads gives the same hashes as sequential use. */
class ConcurrentUseTest {

    private static final int THREADS = 4;

    @Test
    void sharedInstanceIsThreadSafe() throws Exception {
        IdentityNormalizer normalizer = new IdentityNormalizer();
        List<JsonNode> inputs = new ArrayList<>();
        for (String file : List.of("us.jsonl", "de.jsonl")) {
            VectorFiles.readLines(file).forEach(record -> inputs.add(record.get("input")));
        }
        List<String> sequential = hashAll(normalizer, inputs);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                runs.add(pool.submit(() -> hashAll(normalizer, inputs)));
            }
            for (Future<List<String>> run : runs) {
                assertEquals(sequential, run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> hashAll(IdentityNormalizer normalizer, List<JsonNode> inputs) {
        List<String> hashes = new ArrayList<>(inputs.size() * IdentityField.values().length);
        for (JsonNode input : inputs) {
            String country = VectorFiles.text(input, "countryCode");
            for (IdentityField field : IdentityField.values()) {
                hashes.add(normalizer.hash(field, VectorFiles.text(input, field.canonicalName()), country));
            }
        }
        return hashes;
    }
}
