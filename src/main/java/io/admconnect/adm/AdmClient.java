package io.admconnect.adm;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks the ADM API for one account and one set of LWA credentials: authentication, the preflight,
 * data set resolution (cached) and the calls behind each {@link AdmOperation}. Thread-safe; the
 * component shares one client between all endpoints with the same connection options.
 */
public class AdmClient {

    private static final Logger LOG = LoggerFactory.getLogger(AdmClient.class);
    private static final Pattern DATA_SET_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_-]{4,99}$");
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final int MAX_ERROR_TEXT = 300;

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final LwaTokenProvider tokens;
    private final String apiUrl;
    private final String clientId;
    private final String scopeHeader;
    private final String scopeValue;
    private final Duration requestTimeout;
    private final Map<String, String> dataSetIds = new ConcurrentHashMap<>();
    private final Object preflightLock = new Object();
    private volatile boolean preflightDone;

    public AdmClient(AdmConfiguration configuration, ObjectMapper mapper) {
        this(configuration, mapper, Clock.systemUTC());
    }

    AdmClient(AdmConfiguration configuration, ObjectMapper mapper, Clock clock) {
        requireSetting(configuration.getClientId(), "clientId (ADM_CLIENT_ID)");
        requireSetting(configuration.getClientSecret(), "clientSecret (ADM_CLIENT_SECRET)");
        requireSetting(configuration.getRefreshToken(), "refreshToken (ADM_REFRESH_TOKEN)");
        if (isBlank(configuration.getManagerAccountId()) && isBlank(configuration.getAdvertiserAccountId())) {
            throw new IllegalArgumentException("The adm component needs managerAccountId (ADM_MANAGER_ACCOUNT_ID)"
                    + " or advertiserAccountId (ADM_ADVERTISER_ACCOUNT_ID)");
        }
        this.mapper = mapper;
        this.requestTimeout = Duration.ofMillis(configuration.getRequestTimeout());
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(configuration.getConnectTimeout()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.apiUrl = configuration.resolvedApiUrl();
        this.clientId = configuration.getClientId();
        if (!isBlank(configuration.getManagerAccountId())) {
            this.scopeHeader = AdmConstants.MANAGER_ACCOUNT_HEADER;
            this.scopeValue = configuration.getManagerAccountId();
        } else {
            this.scopeHeader = AdmConstants.ADVERTISER_ACCOUNT_HEADER;
            this.scopeValue = configuration.getAdvertiserAccountId();
        }
        this.tokens = new LwaTokenProvider(http, mapper, configuration.resolvedAuthUrl(), configuration.getClientId(),
                configuration.getClientSecret(), configuration.getRefreshToken(), requestTimeout, clock);
    }

    // ---- preflight -------------------------------------------------------------------------------

    /**
     * Checks once that the account accepted the ADM terms (uploads are silently not activated otherwise)
     * and that its data room exists, creating the data room when it is missing.
     */
    public void preflight() {
        if (preflightDone) {
            return;
        }
        synchronized (preflightLock) {
            if (preflightDone) {
                return;
            }
            AdmResponse terms = call("GET", "/adm/terms", null, null);
            if (!terms.json(mapper).path("hasAccepted").asBoolean(false)) {
                throw new AdmPreflightException("The Amazon Ads Data Manager terms are not accepted for account " + scopeValue
                        + ": ADM would take uploads without ever activating them. An administrator of the account must accept"
                        + " them (in the Amazon Ads console, or PATCH /adm/terms with the agreementToken that GET /adm/terms"
                        + " returns), then restart adm-connect.", terms.requestId());
            }
            try {
                call("GET", "/adm/datarooms", null, null);
            } catch (AdmRejectedException e) {
                if (e.getStatus() != 404) {
                    throw e;
                }
                call("POST", "/adm/datarooms", null, null);
                LOG.info("Created the ADM data room of account {}", scopeValue);
            }
            preflightDone = true;
        }
    }

    public boolean isPreflightDone() {
        return preflightDone;
    }

    // ---- data sets -------------------------------------------------------------------------------

    /** The id of the data set named {@code name}: cached, else listed, else created. */
    public String resolveDataSet(DataSetSpec spec) {
        String cached = dataSetIds.get(spec.name());
        if (cached != null) {
            return cached;
        }
        if (!DATA_SET_NAME.matcher(spec.name()).matches()) {
            throw new IllegalArgumentException("Data set name '" + spec.name() + "' is not valid for ADM: 5 to 100 characters,"
                    + " a letter first, then letters, digits, '_' or '-'");
        }
        String id = findDataSetId(spec.name());
        if (id == null) {
            id = createDataSet(spec);
        }
        dataSetIds.put(spec.name(), id);
        return id;
    }

    /** Drops a cached id (ADM answered 404 for it) so the next use resolves the name again. */
    public void forgetDataSet(String name) {
        dataSetIds.remove(name);
    }

    private String findDataSetId(String name) {
        for (JsonNode dataSet : listDataSets()) {
            if (name.equals(dataSet.path("name").asText())) {
                return dataSet.path("dataSetId").asText();
            }
        }
        return null;
    }

    private String createDataSet(DataSetSpec spec) {
        ObjectNode body = mapper.createObjectNode()
                .put("name", spec.name())
                .put("countryCode", spec.countryCode());
        if (!isBlank(spec.description())) {
            body.put("description", spec.description());
        }
        if (spec.idRetention() != null) {
            body.put("idRetention", spec.idRetention());
        }
        try {
            AdmResponse created = call("POST", "/adm/audiences", "application/json", write(body));
            String id = created.json(mapper).path("dataSetId").asText();
            LOG.info("Created ADM data set {} ({}), id {}", spec.name(), spec.countryCode(), id);
            return id;
        } catch (AdmRejectedException e) {
            // A duplicate name answers 400 with the existing data set's id: it already exists.
            if (e.getStatus() == 400 && e.getExistingDataSetId() != null) {
                return e.getExistingDataSetId();
            }
            throw e;
        }
    }

    /** Every data set of the account, following {@code nextToken} across pages. */
    public List<JsonNode> listDataSets() {
        List<JsonNode> all = new ArrayList<>();
        String nextToken = null;
        do {
            String path = "/adm/audiences?limit=100" + (nextToken == null ? "" : "&nextToken=" + urlEncode(nextToken));
            JsonNode page = call("GET", path, null, null).json(mapper);
            page.path("dataSets").forEach(all::add);
            nextToken = page.hasNonNull("nextToken") && !page.get("nextToken").asText().isEmpty()
                    ? page.get("nextToken").asText() : null;
        } while (nextToken != null);
        return all;
    }

    public JsonNode dataSetMetrics(String dataSetId) {
        return call("GET", "/adm/datasets/" + urlEncode(dataSetId) + "/metrics", null, AdmConstants.METRICS_CONTENT_TYPE, null)
                .json(mapper);
    }

    // ---- members ---------------------------------------------------------------------------------

    /** Uploads a serialized {@code {"members":[...]}} body of {@code memberCount} members. */
    public UploadResult uploadMembers(String dataSetId, byte[] body, int memberCount) {
        AdmResponse response = call("POST", "/adm/audiences/" + urlEncode(dataSetId) + "/members",
                AdmConstants.MEMBERS_CONTENT_TYPE, body);
        JsonNode json = response.json(mapper);
        List<UploadResult.RejectedMember> rejected = new ArrayList<>();
        for (JsonNode error : json.path("errors")) {
            rejected.add(new UploadResult.RejectedMember(error.path("index").asInt(), error.path("code").asText(null),
                    truncate(error.path("details").asText(null))));
        }
        return new UploadResult(dataSetId, json.path("ingressId").asText(null), response.requestId(), memberCount,
                List.copyOf(rejected));
    }

    /** Erases users from the data room, at most 1,000 per call as ADM requires. */
    public int deleteIdentities(List<String> externalUserIds) {
        for (int from = 0; from < externalUserIds.size(); from += AdmConstants.MAX_IDENTITIES_PER_DELETION) {
            List<String> chunk = externalUserIds.subList(from,
                    Math.min(externalUserIds.size(), from + AdmConstants.MAX_IDENTITIES_PER_DELETION));
            ObjectNode body = mapper.createObjectNode();
            ArrayNode targets = body.putArray("targetIdentities");
            chunk.forEach(id -> targets.addObject().put("externalUserId", id));
            call("POST", "/adm/identities/delete", AdmConstants.DELETION_CONTENT_TYPE, write(body));
        }
        return externalUserIds.size();
    }

    // ---- sharing rules ---------------------------------------------------------------------------

    /** Returns the sharing rule that activates the data set in the application, creating it if none is live. */
    public JsonNode ensureSharingRule(String dataSetId, SharingRuleSpec spec) {
        ObjectNode filter = mapper.createObjectNode();
        filter.putArray("datasetIds").add(dataSetId);
        filter.put("application", spec.application());
        filter.put("destinationAccountId", spec.destinationAccountId());
        String nextToken = null;
        do {
            if (nextToken != null) {
                filter.put("nextToken", nextToken);
            }
            JsonNode page = call("POST", "/adm/sharingRules/list", "application/json", write(filter)).json(mapper);
            for (JsonNode rule : page.path("sharingRules")) {
                String status = rule.path("status").asText();
                if (spec.marketplaceId().equals(rule.path("marketplaceId").asText())
                        && ("ACTIVE".equals(status) || "PENDING".equals(status))) {
                    return rule;
                }
            }
            nextToken = page.hasNonNull("nextToken") && !page.get("nextToken").asText().isEmpty()
                    ? page.get("nextToken").asText() : null;
        } while (nextToken != null);

        ObjectNode body = mapper.createObjectNode()
                .put("application", spec.application())
                .put("dataSetId", dataSetId)
                .put("destinationAccountId", spec.destinationAccountId())
                .put("marketplaceId", spec.marketplaceId());
        body.set("metadata", spec.metadata(mapper));
        JsonNode created = call("POST", "/adm/sharingRules", "application/json", write(body)).json(mapper);
        LOG.info("Created ADM sharing rule {} ({} -> account {})", created.path("sharingRuleId").asText(),
                spec.application(), spec.destinationAccountId());
        return created;
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    /** One ADM call: authenticated, refreshed and retried once on a 401, failures typed. */
    AdmResponse call(String method, String pathAndQuery, String contentType, byte[] body) {
        // ADM answers in the versioned media type it was sent (uploads), else in JSON.
        String accept = contentType != null && contentType.startsWith("application/vnd.") ? contentType + ", application/json"
                : "application/json";
        return call(method, pathAndQuery, contentType, accept, body);
    }

    AdmResponse call(String method, String pathAndQuery, String contentType, String accept, byte[] body) {
        String token = tokens.token();
        HttpResponse<byte[]> response = send(method, pathAndQuery, contentType, accept, body, token);
        if (response.statusCode() == 401) {
            token = tokens.tokenAfterRejection(token);
            response = send(method, pathAndQuery, contentType, accept, body, token);
        }
        String requestId = response.headers().firstValue(AdmConstants.AMAZON_REQUEST_ID_HEADER).orElse(null);
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new AdmResponse(status, response.body(), requestId);
        }
        throw failure(method, pathAndQuery, response, requestId);
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, String contentType, String accept, byte[] body,
            String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + pathAndQuery))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token)
                .header(AdmConstants.CLIENT_ID_HEADER, clientId)
                .header(scopeHeader, scopeValue)
                .header("Accept", accept);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new AdmTransientException("ADM " + method + " " + pathOnly(pathAndQuery) + " timed out after "
                    + requestTimeout.toMillis() + " ms", 0, null, e);
        } catch (IOException e) {
            throw new AdmTransientException("ADM " + method + " " + pathOnly(pathAndQuery) + " failed: "
                    + e.getClass().getSimpleName(), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdmTransientException("ADM " + method + " " + pathOnly(pathAndQuery) + " was interrupted", 0, null, e);
        }
    }

    private AdmException failure(String method, String pathAndQuery, HttpResponse<byte[]> response, String requestId) {
        int status = response.statusCode();
        JsonNode error = AdmResponse.parse(mapper, response.body());
        String amazonMessage = truncate(firstNonBlank(error.path("message").asText(null), error.path("details").asText(null)));
        String message = "ADM " + method + " " + pathOnly(pathAndQuery) + " answered " + status
                + " (requestId " + requestId + ")" + (amazonMessage == null ? "" : ": " + amazonMessage);
        if (status == 429) {
            Duration retryAfter = response.headers().firstValue("Retry-After").map(AdmClient::parseRetryAfter)
                    .orElse(DEFAULT_RETRY_AFTER);
            return new AdmThrottledException(message, requestId, retryAfter);
        }
        if (status >= 500) {
            return new AdmTransientException(message, status, requestId, null);
        }
        if (status == 401) {
            return new AdmAuthException(message + ". The access token was refused even after a refresh: check that the"
                    + " LWA client is allowed to call ADM.", status, requestId);
        }
        if (status == 403) {
            return new AdmAuthException(message + ". The account lacks a permission ADM needs (ads_data_manager_edit or"
                    + " audiences_edit) or the scoping account id is wrong.", status, requestId);
        }
        return new AdmRejectedException(message, status, requestId, error.path("code").asText(null),
                error.path("datasetId").asText(null));
    }

    private static Duration parseRetryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private byte[] write(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize an ADM request", e);
        }
    }

    private static String pathOnly(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "...";
    }

    private static String firstNonBlank(String a, String b) {
        return !isBlank(a) ? a : (!isBlank(b) ? b : null);
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void requireSetting(String value, String name) {
        if (isBlank(value)) {
            throw new IllegalArgumentException("The adm component needs " + name);
        }
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Which data set to resolve, and how to create it when missing. */
    public record DataSetSpec(String name, String countryCode, String description, Boolean idRetention) {
    }

    /** A sharing rule: the application and where it shares the data set to. */
    public record SharingRuleSpec(String application, String destinationAccountId, String marketplaceId,
            String audienceName, String audienceDescription, String amcInstanceId, String conversionDefinitionId) {

        /** The application's metadata member of the create request. */
        JsonNode metadata(ObjectMapper mapper) {
            ObjectNode metadata = mapper.createObjectNode();
            switch (application) {
                case "AMAZON_MARKETING_CLOUD" -> {
                    if (isBlank(amcInstanceId)) {
                        throw new IllegalArgumentException("An AMAZON_MARKETING_CLOUD sharing rule needs amcInstanceId");
                    }
                    metadata.putObject("amcMetadata").put("amcInstanceId", amcInstanceId);
                }
                case "EVENTS_MANAGER" -> {
                    if (isBlank(conversionDefinitionId)) {
                        throw new IllegalArgumentException("An EVENTS_MANAGER sharing rule needs conversionDefinitionId");
                    }
                    metadata.put("conversionDefinitionId", conversionDefinitionId);
                }
                default -> {
                    ObjectNode audience = metadata.putObject("audienceMetadata").put("audienceName", audienceName);
                    if (!isBlank(audienceDescription)) {
                        audience.put("description", audienceDescription);
                    }
                }
            }
            return metadata;
        }
    }

    /** A successful ADM answer. */
    record AdmResponse(int status, byte[] body, String requestId) {

        JsonNode json(ObjectMapper mapper) {
            return parse(mapper, body);
        }

        static JsonNode parse(ObjectMapper mapper, byte[] body) {
            if (body == null || body.length == 0) {
                return mapper.createObjectNode();
            }
            try {
                return mapper.readTree(body);
            } catch (IOException e) {
                return mapper.createObjectNode();
            }
        }
    }
}
