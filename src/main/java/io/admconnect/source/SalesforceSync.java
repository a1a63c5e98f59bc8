package io.admconnect.source;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.batching.Delivery;
import io.admconnect.batching.MemberStore;
import io.admconnect.processor.ProcessedRecords;
import io.admconnect.processor.SourceName;
import io.admconnect.processor.SourceRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The steps of the Salesforce source ({@code routes/salesforce.yaml}): builds the incremental SOQL from
 * the persisted watermark ({@code SystemModstamp}; the first poll reads everything), reads each page of
 * {@code queryAll} / {@code queryMore} into records (deleted records become removals), and stores each
 * page's members together with the watermark they reach, so the watermark never runs ahead of the store.
 */
@ApplicationScoped
@Named("salesforceSync")
public class SalesforceSync {

    /** camel-salesforce reads the query (or the next records URL) from this header. */
    static final String QUERY_HEADER = "sObjectQuery";
    static final String OPERATION = "AdmSalesforceOperation";
    static final String MORE = "AdmSalesforceMore";
    private static final String WATERMARK = "AdmSalesforceWatermark";
    private static final String POSITION = "AdmSalesforcePosition";
    private static final Logger LOG = Logger.getLogger(SalesforceSync.class);
    private static final DateTimeFormatter SALESFORCE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");

    private final ObjectMapper mapper = new ObjectMapper();

    @ConfigProperty(name = "salesforce.object", defaultValue = "Contact")
    String sObject;

    @ConfigProperty(name = "salesforce.consent-field", defaultValue = "Ads_Consent__c")
    String consentField;

    @ConfigProperty(name = "salesforce.mapping")
    Optional<String> mappingText;

    @ConfigProperty(name = "salesforce.where")
    Optional<String> where;

    @Inject
    SourceWatermarks watermarks;

    @Inject
    MemberStore store;

    @Inject
    Delivery delivery;

    private volatile FieldMapping mapping;

    /** Starts a poll: the SOQL of everything changed since the watermark, oldest first. */
    public void prepare(Exchange exchange) {
        String source = SourceName.of(exchange);
        Optional<String> since = watermarks.read(source);
        exchange.getMessage().setHeader(QUERY_HEADER, soql(since));
        exchange.setProperty(OPERATION, "queryAll");
        exchange.setProperty(MORE, true);
        exchange.setProperty(POSITION, 0L);
        LOG.debugf("Salesforce poll of %s since %s", sObject, since.orElse("the beginning"));
    }

    String soql(Optional<String> since) {
        Set<String> fields = new LinkedHashSet<>(List.of("Id", "IsDeleted", "SystemModstamp"));
        mapping().nativeFields().forEach(field -> fields.add(field));
        List<String> conditions = new ArrayList<>();
        since.ifPresent(watermark -> conditions.add("SystemModstamp >= " + watermark));
        where.filter(w -> !w.isBlank()).ifPresent(w -> conditions.add("(" + w + ")"));
        return "SELECT " + String.join(", ", fields) + " FROM " + sObject
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY SystemModstamp ASC, Id ASC";
    }

    /** One page of results into records; prepares the next page's {@code queryMore}. */
    public void page(Exchange exchange) throws IOException {
        JsonNode page;
        try (InputStream body = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            page = mapper.readTree(body);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new IOException("Salesforce answered without a body", e);
        }
        long position = exchange.getProperty(POSITION, 0L, Long.class);
        Instant newest = null;
        List<SourceRecord> records = new ArrayList<>();
        for (JsonNode record : page.path("records")) {
            position++;
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = new LinkedHashMap<>(mapping().apply(mapper.convertValue(record, Map.class)));
            if (record.path("IsDeleted").asBoolean(false)) {
                fields.put("action", "remove");
            }
            records.add(SourceRecord.of(position, fields));
            Instant modified = parseTime(record.path("SystemModstamp").asText(null));
            newest = modified != null && (newest == null || modified.isAfter(newest)) ? modified : newest;
        }
        boolean more = !page.path("done").asBoolean(true) && page.hasNonNull("nextRecordsUrl");
        exchange.setProperty(MORE, more);
        exchange.setProperty(POSITION, position);
        exchange.setProperty(WATERMARK, newest == null ? null : DateTimeFormatter.ISO_INSTANT.format(newest));
        if (more) {
            exchange.setProperty(OPERATION, "queryMore");
            exchange.getMessage().setHeader(QUERY_HEADER, page.get("nextRecordsUrl").asText());
        }
        exchange.getMessage().setBody(records);
    }

    /**
     * Stores the page's members and, in the same transaction, the watermark they reach. After the last page the
     * poll's members need not wait for more to fill their batches.
     */
    public void store(Exchange exchange) {
        ProcessedRecords processed = exchange.getMessage().getBody(ProcessedRecords.class);
        String watermark = exchange.getProperty(WATERMARK, String.class);
        String source = SourceName.of(exchange);
        store.append(processed.dataSet(), source, processed.members(),
                watermark == null ? null : watermarks.advanceTo(source, watermark));
        if (!exchange.getProperty(MORE, false, Boolean.class)) {
            delivery.flush(processed.dataSet());
        }
    }

    private FieldMapping mapping() {
        if (mapping == null) {
            mapping = mappingText.filter(text -> !text.isBlank()).map(FieldMapping::parse)
                    .orElseGet(() -> FieldMapping.salesforceContact(consentField));
        }
        return mapping;
    }

    private static Instant parseTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return SALESFORCE_TIME.parse(value, Instant::from);
        } catch (DateTimeParseException e) {
            return Instant.parse(value);
        }
    }
}
