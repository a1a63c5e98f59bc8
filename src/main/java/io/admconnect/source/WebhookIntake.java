package io.admconnect.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.admconnect.batching.StoreException;
import io.admconnect.processor.ProcessedRecords;
import io.admconnect.processor.SourceRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The HTTP face of the webhook source ({@code routes/webhook.yaml}): checks the HMAC signature of the raw
 * body, reads the records, and answers 202 with per-record rejections once the accepted ones are durable.
 * Answers never echo a submitted value.
 */
@ApplicationScoped
@Named("webhookIntake")
public class WebhookIntake {

    public static final String SIGNATURE_HEADER = "X-Signature-256";
    /** The exchange property a webhook source Kamelet sets: its own HMAC secret (its mapping is a {@link SourceMapping}). */
    public static final String SECRET_PROPERTY = "AdmWebhookSecret";
    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);
    private static final String TRACKING_ID = "AdmTrackingId";

    /** Deeply nested JSON is refused before it can exhaust the stack. */
    private final ObjectMapper mapper = new ObjectMapper();

    {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    @ConfigProperty(name = "webhook.secret")
    Optional<String> secret;

    /**
     * Stops the exchange with 401 unless {@code X-Signature-256} is the HMAC-SHA256 of the raw body, or
     * with 400 for form posts (the HTTP layer parses those, so the raw body cannot be checked).
     */
    public void verify(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(java.util.Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/")) {
            respond(exchange, 400, mapper.createObjectNode().put("message", "Send the records as JSON (Content-Type: application/json)"));
            exchange.setRouteStop(true);
            return;
        }
        byte[] body = body(exchange);
        String presented = exchange.getMessage().getHeader(SIGNATURE_HEADER, String.class);
        byte[] expected = ("sha256=" + hmac(secretOf(exchange), body)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = presented == null ? new byte[0] : presented.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        // Constant time, so the comparison leaks nothing about the expected signature.
        if (!MessageDigest.isEqual(expected, given)) {
            respond(exchange, 401, mapper.createObjectNode().put("message", presented == null
                    ? "Missing " + SIGNATURE_HEADER + " header" : "The " + SIGNATURE_HEADER + " signature does not match the body"));
            exchange.setRouteStop(true);
        }
    }

    /**
     * Reads the body as records: a JSON object, an array of objects, or {@code {"records":[...]}}. Elements
     * that are not objects are passed on as malformed records (rejected with their index). Not JSON: 400.
     */
    public void parse(Exchange exchange) {
        JsonNode json;
        try {
            json = mapper.readTree(body(exchange));
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !(json.isObject() || json.isArray())) {
            respond(exchange, 400, mapper.createObjectNode().put("message",
                    "The body must be a JSON object, an array of objects, or {\"records\":[...]}"));
            exchange.setRouteStop(true);
            return;
        }
        FieldMapping mapping = mappingOf(exchange);
        JsonNode items = json.isArray() ? json : (json.has("records") && json.get("records").isArray() ? json.get("records") : null);
        List<SourceRecord> records = new ArrayList<>();
        if (items == null) {
            records.add(SourceRecord.of(0, mapping.apply(asMap(json))));
        } else {
            for (int index = 0; index < items.size(); index++) {
                JsonNode item = items.get(index);
                records.add(item.isObject() ? SourceRecord.of(index, mapping.apply(asMap(item))) : SourceRecord.malformed(index));
            }
        }
        exchange.getMessage().removeHeaders("*");
        exchange.setProperty(TRACKING_ID, UUID.randomUUID().toString());
        exchange.getMessage().setBody(records);
    }

    /** 202 with the tracking id, how many records were accepted, and which were rejected and why. */
    public void accepted(Exchange exchange) {
        ProcessedRecords processed = exchange.getMessage().getBody(ProcessedRecords.class);
        ObjectNode answer = mapper.createObjectNode()
                .put("trackingId", exchange.getProperty(TRACKING_ID, String.class))
                .put("accepted", processed.members().size());
        ArrayNode rejected = answer.putArray("rejected");
        processed.rejections().forEach(r -> rejected.addObject().put("index", r.position()).put("reason", r.reason().code()));
        respond(exchange, 202, answer);
    }

    /** The store could not take the records: nothing was acknowledged, the caller should send them again. */
    public void storeUnavailable(Exchange exchange) {
        StoreException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, StoreException.class);
        LOG.error("Webhook records not stored; answered 503: " + (failure == null ? "unknown" : failure.getMessage()));
        respond(exchange, 503, mapper.createObjectNode().put("message", "The records could not be stored; nothing was accepted. Retry later."));
        exchange.getMessage().setHeader("Retry-After", "5");
    }

    private String secretOf(Exchange exchange) {
        String own = exchange.getProperty(SECRET_PROPERTY, String.class);
        String key = own != null && !own.isBlank() ? own : secret.orElse("");
        if (key.isBlank()) {
            throw new IllegalStateException("No webhook secret: set WEBHOOK_SECRET, or the secret of the webhook Kamelet");
        }
        return key;
    }

    /** The source's field mapping (a Kamelet parameter), or canonical records as they are. */
    private static FieldMapping mappingOf(Exchange exchange) {
        FieldMapping mapping = SourceMapping.of(exchange);
        return mapping == null ? FieldMapping.identity() : mapping;
    }

    private static String hmac(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The raw body, converted once: it replaces the message body so parse() does not convert it again. */
    private static byte[] body(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        exchange.getMessage().setBody(body);
        return body;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(JsonNode node) {
        return mapper.convertValue(node, Map.class);
    }

    private void respond(Exchange exchange, int status, ObjectNode body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }
}
