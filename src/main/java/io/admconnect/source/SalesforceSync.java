package io.admconnect.source;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
import org.jboss.logging.Logger;

/**
 * The steps of a Salesforce source (the {@code adm-salesforce-source} Kamelet): asks for the route's
 * {@link SalesforceQuery} since the persisted watermark ({@code SystemModstamp}; the first poll reads everything),
 * reads each page of {@code queryAll} / {@code queryMore} into records (deleted records become removals), and
 * stores each page's members together with the watermark they reach, so the watermark never runs ahead of the store.
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

    @Inject
    SourceWatermarks watermarks;

    @Inject
    MemberStore store;

    @Inject
    Delivery delivery;

    /** Starts a poll: the SOQL of everything changed since the watermark, oldest first. */
    public void prepare(Exchange exchange) {
        String source = SourceName.of(exchange);
        SalesforceQuery query = SalesforceQuery.of(exchange);
        Optional<String> since = watermarks.read(source);
        exchange.getMessage().setHeader(QUERY_HEADER, query.soql(since));
        exchange.setProperty(OPERATION, "queryAll");
        exchange.setProperty(MORE, true);
        exchange.setProperty(POSITION, 0L);
        LOG.debugf("Salesforce poll of %s since %s", query.sObjectName(), since.orElse("the beginning"));
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
        FieldMapping mapping = SalesforceQuery.of(exchange).mapping();
        Instant newest = null;
        List<SourceRecord> records = new ArrayList<>();
        for (JsonNode record : page.path("records")) {
            position++;
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = new LinkedHashMap<>(mapping.apply(mapper.convertValue(record, Map.class)));
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

    /** After the last page: the body becomes the poll's one-line summary (a count, no values) for the route that uses the Kamelet. */
    public void polled(Exchange exchange) {
        exchange.getMessage().setBody(exchange.getProperty(POSITION, 0L, Long.class) + " records read");
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
