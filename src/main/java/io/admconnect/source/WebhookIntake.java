package io.admconnect.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.admconnect.batching.MemberStore;
import io.admconnect.batching.StoreException;
import io.admconnect.processor.ProcessedRecords;
import io.admconnect.processor.SourceName;
import io.admconnect.processor.SourceRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The HTTP face of the webhook source ({@code routes/webhook.yaml}): checks the HMAC signature of the raw
 * body, answers a replay of a body accepted before with the answer it got ({@link WebhookReplays}), reads
 * the records, and answers 202 with per-record rejections once the accepted ones are durable. Answers
 * never echo a submitted value.
 */
@ApplicationScoped
@Named("webhookIntake")
public class WebhookIntake {

    public static final String SIGNATURE_HEADER = "X-Signature-256";
    /**
     * The exchange property a webhook source Kamelet sets: its own HMAC secret (its mapping is a
     * {@link SourceMapping}, its replay window a {@link ReplayWindow}).
     */
    public static final String SECRET_PROPERTY = "AdmWebhookSecret";
    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);
    private static final String TRACKING_ID = "AdmTrackingId";
    private static final String ANSWER = "AdmWebhookAnswer";
    private static final Duration IDENTICAL_REQUEST_WAIT = Duration.ofSeconds(30);
    /** Records per request (ADM's own upload limit): bounds the memory and the answer of one request. */
    static final int MAX_RECORDS = 10_000;

    private final ObjectMapper mapper = RecordJson.MAPPER;

    @ConfigProperty(name = "webhook.secret")
    Optional<String> secret;

    /** How long an accepted body is answered as a replay instead of stored again; zero: never. */
    @ConfigProperty(name = "webhook.replay-window", defaultValue = "24h")
    Duration replayWindow;

    @Inject
    WebhookReplays replays;

    @Inject
    MeterRegistry registry;

    /**
     * Bodies being taken in right now, by source and digest. An identical request (a CRM retrying while its
     * first attempt still runs) waits for it, and is then answered as its replay instead of being counted too.
     */
    private final Map<String, CountDownLatch> inProgress = new ConcurrentHashMap<>();

    /**
     * Stops the exchange with 401 unless {@code X-Signature-256} is the HMAC-SHA256 of the raw body, or
     * with 400 for form posts (the HTTP layer parses those, so the raw body cannot be checked). A signed body
     * this source accepted within the replay window is a replay: answered 200 with the answer it got then
     * plus {@code "replay": true}, and stopped, so nothing is counted or stored again. Any other body is
     * recorded with its answer when its members are stored ({@link MemberStore#ALSO_COMMIT}).
     */
    public void verify(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(java.util.Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/")) {
            stop(exchange, 400, "Send the records as JSON (Content-Type: application/json)");
            return;
        }
        byte[] body = body(exchange);
        String presented = exchange.getMessage().getHeader(SIGNATURE_HEADER, String.class);
        byte[] expected = ("sha256=" + hmac(secretOf(exchange), body)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = presented == null ? new byte[0] : presented.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        // Constant time, so the comparison leaks nothing about the expected signature.
        if (!MessageDigest.isEqual(expected, given)) {
            stop(exchange, 401, presented == null
                    ? "Missing " + SIGNATURE_HEADER + " header" : "The " + SIGNATURE_HEADER + " signature does not match the body");
            return;
        }
        Duration window = replayWindowOf(exchange);
        if (window.isZero() || window.isNegative()) {
            return;
        }
        String source = SourceName.of(exchange);
        String digest = HexFormat.of().formatHex(sha256(body));
        awaitIdenticalRequest(exchange, source + ' ' + digest);
        Optional<String> earlier = replays.answerOf(source, digest, Instant.now());
        if (earlier.isPresent()) {
            answerReplay(exchange, earlier.get());
            return;
        }
        Instant now = Instant.now();
        exchange.setProperty(MemberStore.ALSO_COMMIT,
                replays.remember(source, digest, () -> answer(exchange).toString(), now, now.plus(window)));
    }

    /**
     * Reads the body as records: a JSON object, an array of objects, or {@code {"records":[...]}}. Elements
     * that are not objects are passed on as malformed records (rejected with their index). Not one JSON
     * value within {@link RecordJson}'s limits: 400. More than {@value #MAX_RECORDS} records: 413.
     */
    public void parse(Exchange exchange) {
        JsonNode json;
        String problem = null;
        try {
            json = mapper.readTree(body(exchange));
        } catch (StreamConstraintsException e) {
            json = null;
            problem = "The body exceeds the JSON limits: at most " + RecordJson.MAX_NESTING_DEPTH + " levels of nesting and "
                    + RecordJson.MAX_TOKENS + " tokens";
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !(json.isObject() || json.isArray())) {
            stop(exchange, 400, problem != null ? problem : "The body must be one JSON value: an object, an array of objects,"
                    + " or {\"records\":[...]}");
            return;
        }
        JsonNode items = json.isArray() ? json : (json.has("records") && json.get("records").isArray() ? json.get("records") : null);
        if (items != null && items.size() > MAX_RECORDS) {
            stop(exchange, 413, "At most " + MAX_RECORDS + " records per request: send them in smaller batches");
            return;
        }
        FieldMapping mapping = mappingOf(exchange);
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
        respond(exchange, 202, answer(exchange));
    }

    /**
     * The store could not take the records: nothing was acknowledged, the caller should send them again.
     * (Also when another replica stored the same body at the same moment: the retry is then its replay.)
     */
    public void storeUnavailable(Exchange exchange) {
        StoreException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, StoreException.class);
        LOG.error("Webhook records not stored; answered 503: " + (failure == null ? "unknown" : failure.getMessage()));
        respond(exchange, 503, mapper.createObjectNode().put("message", "The records could not be stored; nothing was accepted. Retry later."));
        exchange.getMessage().setHeader("Retry-After", "5");
    }

    /** Waits while an identical request is being taken in; this one then holds the key until it is done. */
    private void awaitIdenticalRequest(Exchange exchange, String key) {
        CountDownLatch mine = new CountDownLatch(1);
        CountDownLatch running;
        while ((running = inProgress.putIfAbsent(key, mine)) != null) {
            try {
                if (!running.await(IDENTICAL_REQUEST_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    return; // stuck: go on unguarded; the store still refuses to record the body twice
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while an identical webhook request was taken in", e);
            }
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                inProgress.remove(key, mine);
                mine.countDown();
            }
        });
    }

    /** The answer of an accepted body, built once (it is recorded for replays and sent). */
    private ObjectNode answer(Exchange exchange) {
        ObjectNode answer = exchange.getProperty(ANSWER, ObjectNode.class);
        if (answer == null) {
            ProcessedRecords processed = exchange.getMessage().getBody(ProcessedRecords.class);
            answer = mapper.createObjectNode()
                    .put("trackingId", exchange.getProperty(TRACKING_ID, String.class))
                    .put("accepted", processed.members().size());
            ArrayNode rejected = answer.putArray("rejected");
            processed.rejections().forEach(r -> rejected.addObject().put("index", r.position()).put("reason", r.reason().code()));
            exchange.setProperty(ANSWER, answer);
        }
        return answer;
    }

    /** 200 with the answer the body got when it was accepted, marked as a replay; nothing is counted or stored. */
    private void answerReplay(Exchange exchange, String earlier) {
        ObjectNode answer;
        try {
            answer = (ObjectNode) mapper.readTree(earlier);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer of an earlier webhook request", e);
        }
        String source = SourceName.of(exchange);
        Counter.builder("adm.webhook.replays").description("Webhook requests answered as replays of an accepted body")
                .tag("source", source).register(registry).increment();
        LOG.debugf("Webhook %s: replay of request %s answered again, nothing stored", source, answer.path("trackingId").asText());
        respond(exchange, 200, answer.put("replay", true));
        exchange.setRouteStop(true);
    }

    private Duration replayWindowOf(Exchange exchange) {
        Duration own = exchange.getProperty(ReplayWindow.PROPERTY, Duration.class);
        return own != null ? own : replayWindow;
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

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
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

    /** Answers {@code status} with a message and ends the exchange's route. */
    private void stop(Exchange exchange, int status, String message) {
        respond(exchange, status, mapper.createObjectNode().put("message", message));
        exchange.setRouteStop(true);
    }

    private void respond(Exchange exchange, int status, ObjectNode body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }
}
