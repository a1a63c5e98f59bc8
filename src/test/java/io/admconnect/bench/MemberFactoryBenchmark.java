package io.admconnect.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.normalize.IdentityNormalizer;
import io.admconnect.processor.MemberFactory;
import io.admconnect.processor.RecordOutcome;
import io.admconnect.processor.RejectionReason;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the normalize-hash-consent step, single thread: {@link MemberFactory#toMember} over the
 * 2,000 records of {@code vectors/us.jsonl} and {@code vectors/de.jsonl}, one operation per record.
 *
 * <p>Every record gets {@code consent.userData=GRANTED}; one in 33 (3%) is spoiled so that rejections are
 * part of the mix: half of those lose their consent, half carry their email as externalUserId (a mapping
 * mistake CRMs make), which is not a valid id. Run with {@code ./mvnw -B -Pbench test} (README, Performance).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MemberFactoryBenchmark {

    /** Must match the number of records in the two vector files (checked in setup). */
    static final int RECORDS = 2000;
    private static final int SPOIL_EVERY = 33;
    private static final String DEFAULT_COUNTRY = "US";

    private final MemberFactory factory = new MemberFactory(IdentityNormalizer.amazon());
    // Configured as the adm: component's mapper is (a plain ObjectMapper).
    private final ObjectMapper mapper = new ObjectMapper();
    private List<Map<String, Object>> records;

    @Setup
    public void setUp() {
        List<Map<String, Object>> loaded = new ArrayList<>(RECORDS);
        loaded.addAll(readInputs("/vectors/us.jsonl"));
        loaded.addAll(readInputs("/vectors/de.jsonl"));
        int expectedRejections = 0;
        for (int i = 0; i < loaded.size(); i++) {
            Map<String, Object> record = loaded.get(i);
            if (i % SPOIL_EVERY != SPOIL_EVERY - 1) {
                record.put("consent", new LinkedHashMap<>(Map.of("userData", "GRANTED")));
            } else if ((i / SPOIL_EVERY) % 2 == 1) {
                record.put("externalUserId", record.get("email"));
                record.put("consent", new LinkedHashMap<>(Map.of("userData", "GRANTED")));
                expectedRejections++;
            } else {
                expectedRejections++; // no consent at all
            }
        }
        records = List.copyOf(loaded);
        checkMix(expectedRejections);
    }

    /** Hash, normalize and apply consent: what normalize-hash-consent does per record. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void toMember(Blackhole blackhole) {
        for (Map<String, Object> record : records) {
            blackhole.consume(factory.toMember(record, DEFAULT_COUNTRY));
        }
    }

    /** As {@link #toMember}, then the member serialized as it travels to ADM (rejections are not sent). */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void toMemberAndJson(Blackhole blackhole) throws JsonProcessingException {
        for (Map<String, Object> record : records) {
            RecordOutcome outcome = factory.toMember(record, DEFAULT_COUNTRY);
            if (outcome instanceof RecordOutcome.Member member) {
                blackhole.consume(mapper.writeValueAsBytes(member.member()));
            } else {
                blackhole.consume(outcome);
            }
        }
    }

    /** Fails fast when the data or the factory changed so that the mix is not the one documented. */
    private void checkMix(int expectedRejections) {
        if (records.size() != RECORDS) {
            throw new IllegalStateException("Expected " + RECORDS + " records, read " + records.size());
        }
        int rejections = 0;
        for (Map<String, Object> record : records) {
            if (factory.toMember(record, DEFAULT_COUNTRY) instanceof RecordOutcome.Rejected rejected) {
                if (rejected.reason() != RejectionReason.NO_CONSENT
                        && rejected.reason() != RejectionReason.INVALID_EXTERNAL_USER_ID) {
                    throw new IllegalStateException("Unexpected rejection: " + rejected.reason());
                }
                rejections++;
            }
        }
        if (rejections != expectedRejections) {
            throw new IllegalStateException("Expected " + expectedRejections + " rejections, got " + rejections);
        }
    }

    /** The {@code input} object of each line, as the mutable map a source route would hand over. */
    private List<Map<String, Object>> readInputs(String resource) {
        try (InputStream in = MemberFactoryBenchmark.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test vectors: " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Map<String, Object>> inputs = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    JsonNode input = mapper.readTree(line).get("input");
                    inputs.add(mapper.convertValue(input, new TypeReference<LinkedHashMap<String, Object>>() {
                    }));
                }
            }
            return inputs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
