package io.admconnect.processor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import io.admconnect.adm.AdmConstants;
import io.admconnect.adm.AdmMember;
import io.admconnect.app.DataSetCountries;
import io.admconnect.normalize.IdentityNormalizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The normalize-hash-consent step of every source route ({@code bean: normalizeHashConsent}): turns the
 * body's records into hashed ADM members and rejections, and counts them per source ({@link SourceName}).
 *
 * <p>Body in: a {@link SourceRecord}, a canonical record {@code Map}, or a collection of either (a chunk).
 * Header {@code AdmDataSet}: the target data set (its country is the records' default country).
 * Body out: {@link ProcessedRecords}. After this step the exchange holds no plaintext identity value.
 * Metrics: {@code adm_records_received_total{source}} and {@code adm_records_rejected_total{source,reason}}.
 */
@ApplicationScoped
@Named("normalizeHashConsent")
public class NormalizeHashConsent implements Processor {

    /** Chunks from this many records on are normalized in parallel (a file's are; a webhook's few are not worth it). */
    private static final int PARALLEL_CHUNK = 256;

    private final MemberFactory members = new MemberFactory(IdentityNormalizer.amazon());
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;

    @Inject
    DataSetCountries countries;

    @Override
    public void process(Exchange exchange) {
        String dataSet = exchange.getMessage().getHeader(AdmConstants.DATA_SET, String.class);
        if (dataSet == null || dataSet.isBlank()) {
            throw new IllegalArgumentException("normalizeHashConsent needs the target data set in the "
                    + AdmConstants.DATA_SET + " header");
        }
        String source = SourceName.of(exchange);
        ProcessedRecords processed = process(records(exchange.getMessage().getBody()), dataSet, source);
        exchange.getMessage().setBody(processed);
    }

    /** normalize-hash-consent for a chunk of records, counted under {@code source}. */
    public ProcessedRecords process(List<SourceRecord> records, String dataSet, String source) {
        String country = countries.countryOf(dataSet);
        // Hashing is most of a file's CPU time: a large chunk is spread over the cores (in record order again below).
        RecordOutcome[] outcomes = new RecordOutcome[records.size()];
        IntStream indexes = IntStream.range(0, records.size());
        (records.size() >= PARALLEL_CHUNK ? indexes.parallel() : indexes).forEach(i -> {
            SourceRecord record = records.get(i);
            outcomes[i] = record.malformed() != null ? new RecordOutcome.Rejected(record.malformed())
                    : members.toMember(record.fields(), country);
        });
        List<AdmMember> accepted = new ArrayList<>(records.size());
        List<ProcessedRecords.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            SourceRecord record = records.get(i);
            RecordOutcome outcome = outcomes[i];
            if (outcome instanceof RecordOutcome.Member member) {
                accepted.add(member.member());
            } else if (outcome instanceof RecordOutcome.Rejected rejection) {
                rejected.add(new ProcessedRecords.Rejection(record.position(), rejection.reason()));
                counter("adm.records.rejected", source, rejection.reason().code()).increment();
            }
        }
        counter("adm.records.received", source, null).increment(records.size());
        return new ProcessedRecords(dataSet, accepted, rejected);
    }

    @SuppressWarnings("unchecked")
    private static List<SourceRecord> records(Object body) {
        if (body instanceof SourceRecord record) {
            return List.of(record);
        }
        if (body instanceof Map<?, ?> map) {
            return List.of(SourceRecord.of(0, (Map<String, Object>) map));
        }
        if (body instanceof Collection<?> items) {
            List<SourceRecord> records = new ArrayList<>(items.size());
            long position = 0;
            for (Object item : items) {
                if (item instanceof SourceRecord record) {
                    records.add(record);
                } else if (item instanceof Map<?, ?> map) {
                    records.add(SourceRecord.of(position, (Map<String, Object>) map));
                } else {
                    records.add(SourceRecord.malformed(position));
                }
                position++;
            }
            return records;
        }
        throw new IllegalArgumentException("normalizeHashConsent takes canonical records (maps) or a collection of them, not "
                + (body == null ? "an empty body" : body.getClass().getName()));
    }

    private Counter counter(String name, String source, String reason) {
        String key = name + '|' + source + '|' + reason;
        return counters.computeIfAbsent(key, k -> reason == null
                ? Counter.builder(name).tag("source", source).register(registry)
                : Counter.builder(name).tag("source", source).tag("reason", reason).register(registry));
    }
}
