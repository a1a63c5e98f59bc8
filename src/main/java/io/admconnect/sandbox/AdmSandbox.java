package io.admconnect.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A faithful, in-memory simulator of Amazon Ads Data Manager and its Login with Amazon token endpoint
 * ({@code spec/adm-api.md}). It checks what Amazon checks (token, headers, content types, the request
 * against Amazon's OpenAPI file, hashes, consent, limits), answers with Amazon's status codes and bodies,
 * keeps what it accepted for inspection and injects faults on demand. Transport-agnostic: {@link SandboxHttp}
 * serves it over HTTP, tests may also call it directly.
 */
public class AdmSandbox {

    static final Set<String> EEA_AND_UK = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR",
            "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB");
    /** Lowercase hex digits, by character. */
    private static final boolean[] LOWER_HEX = new boolean['f' + 1];
    static {
        "0123456789abcdef".chars().forEach(c -> LOWER_HEX[c] = true);
    }
    private static final Pattern DATA_SET_PATH = Pattern.compile("^/adm/(?:audiences|datasets)/([^/]+)(/members|/metrics)?$");
    private static final Pattern REVOKE_PATH = Pattern.compile("^/adm/sharingRules/([^/]+)/revoke$");
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final SandboxSettings settings;
    private final ObjectMapper mapper = new ObjectMapper();
    private final OpenApiContract contract;

    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private final List<SandboxFault> faults = new CopyOnWriteArrayList<>();
    private final Map<SandboxFault, AtomicInteger> faultHits = new ConcurrentHashMap<>();
    private final Set<String> rejectedExternalUserIds = ConcurrentHashMap.newKeySet();
    private final Map<String, DataSet> dataSets = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> sharingRules = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private volatile Duration tokenTtl;
    private volatile boolean refreshTokenRevoked;
    private volatile boolean termsAccepted;
    private volatile boolean dataRoomExists;
    private volatile Instant dataRoomCreated;

    public AdmSandbox(SandboxSettings settings) {
        this.settings = settings;
        this.contract = settings.validateRequests() ? new OpenApiContract() : null;
        reset();
    }

    // ---- control (Java API; SandboxHttp exposes the same under /sandbox/_control) ----------------

    /** Forgets everything: data sets, members, tokens, faults, counters; settings apply again. */
    public synchronized void reset() {
        accessTokens.clear();
        faults.clear();
        faultHits.clear();
        rejectedExternalUserIds.clear();
        dataSets.clear();
        sharingRules.clear();
        counters.clear();
        tokenTtl = settings.tokenTtl();
        refreshTokenRevoked = false;
        termsAccepted = settings.termsAccepted();
        dataRoomExists = settings.dataRoomExists();
        dataRoomCreated = dataRoomExists ? Instant.now() : null;
    }

    public void addFault(SandboxFault fault) {
        faults.add(fault);
    }

    public void clearFaults() {
        faults.clear();
        faultHits.clear();
    }

    /** Every access token issued so far stops working now (as if an hour had passed). */
    public void expireTokens() {
        accessTokens.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    public void setTokenTtl(Duration ttl) {
        tokenTtl = ttl;
    }

    /** Revokes (or restores) the refresh token: refreshing then answers 400 invalid_grant. */
    public void setRefreshTokenRevoked(boolean revoked) {
        refreshTokenRevoked = revoked;
    }

    public void setTermsAccepted(boolean accepted) {
        termsAccepted = accepted;
    }

    /** ADM rejects these members (by external user id) inside a 200 answer. */
    public void rejectMembers(Collection<String> externalUserIds) {
        rejectedExternalUserIds.addAll(externalUserIds);
    }

    /** Takes back {@link #rejectMembers}: ADM accepts these members again. */
    public void acceptMembers(Collection<String> externalUserIds) {
        rejectedExternalUserIds.removeAll(externalUserIds);
    }

    public long counter(String name) {
        AtomicLong counter = counters.get(name);
        return counter == null ? 0 : counter.get();
    }

    public boolean dataRoomExists() {
        return dataRoomExists;
    }

    /** The data set of that name, if it exists. */
    public DataSet dataSet(String name) {
        return dataSets.values().stream().filter(d -> d.name.equals(name)).findFirst().orElse(null);
    }

    public List<ObjectNode> sharingRules() {
        return List.copyOf(sharingRules.values());
    }

    /** Counts and data sets, as {@code GET /sandbox/_control/state} shows them. */
    public ObjectNode state() {
        ObjectNode state = mapper.createObjectNode();
        state.put("termsAccepted", termsAccepted).put("dataRoomExists", dataRoomExists)
                .put("refreshTokenRevoked", refreshTokenRevoked).put("faults", faults.size());
        ObjectNode counts = state.putObject("counters");
        new TreeMap<>(counters).forEach((name, value) -> counts.put(name, value.get()));
        ArrayNode sets = state.putArray("dataSets");
        for (DataSet dataSet : dataSets.values()) {
            Instant lastAccepted = dataSet.lastAcceptedAt;
            sets.addObject().put("dataSetId", dataSet.id).put("name", dataSet.name).put("countryCode", dataSet.countryCode)
                    .put("membersAccepted", dataSet.accepted.get()).put("membersRejected", dataSet.rejected.get())
                    .put("distinctMembers", dataSet.members.size()).put("uploads", dataSet.uploads.get())
                    .put("lastAcceptedAt", lastAccepted == null ? null : lastAccepted.toString());
        }
        state.put("sharingRules", sharingRules.size());
        return state;
    }

    // ---- requests --------------------------------------------------------------------------------

    /** Answers one request; {@code path} is relative to the sandbox root (e.g. {@code /adm/terms}). */
    public SandboxResponse handle(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {
        Map<String, String> header = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        header.putAll(headers);
        String operation = operationOf(path);
        count("requests." + operation);
        SandboxFault fault = nextFault(operation);
        long delay = fault == null ? 0 : fault.delay();
        if (delay > 0) {
            count("faults.delayed");
        }
        if (fault != null && fault.status() != 0) {
            count("faults." + fault.status());
            SandboxResponse injected = injected(fault);
            return delay == 0 ? injected : injected.delayed(delay);
        }
        SandboxResponse response = "token".equals(operation)
                ? token(method, header, body)
                : adm(method, path, query(rawQuery), header, body == null ? new byte[0] : body);
        return delay == 0 ? response : response.delayed(delay);
    }

    private SandboxResponse injected(SandboxFault fault) {
        if ("token".equals(fault.operation())) {
            return json(fault.status(), mapper.createObjectNode().put("error", fault.status() == 400 ? "invalid_grant" : "server_error")
                    .put("error_description", "injected by the sandbox"));
        }
        SandboxResponse response = error(fault.status(), fault.status() == 429 ? "Too Many Requests" : "Injected fault", "injected by the sandbox");
        return fault.status() == 429 ? response.withHeader("Retry-After", String.valueOf(fault.retryAfter() == null ? 1 : fault.retryAfter())) : response;
    }

    private SandboxFault nextFault(String operation) {
        for (SandboxFault fault : faults) {
            if (!fault.appliesTo(operation) || ThreadLocalRandom.current().nextDouble() >= fault.chance()) {
                continue;
            }
            int times = fault.timesOrOnce();
            if (times < 0) {
                return fault;
            }
            int hit = faultHits.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
            if (hit <= times) {
                if (hit == times) {
                    faults.remove(fault);
                }
                return fault;
            }
        }
        return null;
    }

    private static String operationOf(String path) {
        if (path.startsWith("/auth/o2/token")) {
            return "token";
        }
        if (path.endsWith("/members")) {
            return "members";
        }
        if (path.endsWith("/metrics")) {
            return "metrics";
        }
        String[] parts = path.split("/");
        return parts.length > 2 ? parts[2] : "unknown";
    }

    // ---- Login with Amazon -----------------------------------------------------------------------

    private SandboxResponse token(String method, Map<String, String> headers, byte[] body) {
        count("token.requests");
        if (!"POST".equals(method)) {
            return lwaError(405, "invalid_request", "Use POST");
        }
        if (headers.containsKey("Authorization")) {
            return lwaError(400, "invalid_request", "The token request must not carry an Authorization header");
        }
        String contentType = headers.getOrDefault("Content-Type", "");
        if (!contentType.startsWith("application/x-www-form-urlencoded")) {
            return lwaError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = query(body == null ? "" : new String(body, StandardCharsets.UTF_8));
        if (!"refresh_token".equals(form.get("grant_type"))) {
            return lwaError(400, "unsupported_grant_type", "grant_type must be refresh_token");
        }
        if (!settings.clientId().equals(form.get("client_id")) || !settings.clientSecret().equals(form.get("client_secret"))) {
            return lwaError(401, "invalid_client", "Client authentication failed");
        }
        if (refreshTokenRevoked || !settings.refreshToken().equals(form.get("refresh_token"))) {
            return lwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
        }
        String token = "Atza|sandbox-" + UUID.randomUUID();
        accessTokens.put(token, Instant.now().plus(tokenTtl));
        count("token.issued");
        return json(200, mapper.createObjectNode().put("access_token", token).put("token_type", "bearer")
                .put("expires_in", tokenTtl.toSeconds()).put("refresh_token", settings.refreshToken()));
    }

    private SandboxResponse lwaError(int status, String error, String description) {
        return json(status, mapper.createObjectNode().put("error", error).put("error_description", description));
    }

    // ---- ADM -------------------------------------------------------------------------------------

    private SandboxResponse adm(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        String authorization = headers.getOrDefault("Authorization", "");
        Instant expiry = authorization.startsWith("Bearer ") ? accessTokens.get(authorization.substring(7)) : null;
        if (expiry == null || !Instant.now().isBefore(expiry)) {
            count("adm.unauthorized");
            return error(401, "Unauthorized", expiry == null ? "Missing or unknown access token" : "The access token has expired");
        }
        String clientId = headers.get("Amazon-Advertising-API-ClientId");
        if (clientId != null && !settings.clientId().equals(clientId)) {
            return error(401, "Unauthorized", "The access token was not issued to this client id");
        }
        boolean manager = !headers.getOrDefault("Amazon-Ads-Manager-Account-ID", "").isBlank();
        boolean advertiser = !headers.getOrDefault("Amazon-Ads-AccountId", "").isBlank();
        if (manager == advertiser) {
            return error(400, "Bad Request", "Send exactly one of Amazon-Ads-Manager-Account-ID and Amazon-Ads-AccountId");
        }
        if (body.length > MAX_BODY_BYTES) {
            return error(413, "Request Entity Too Large", "The request body exceeds 10 MB");
        }
        if (contract != null) {
            List<OpenApiContract.Violation> violations = contract.check(method, path, query, headers, body);
            if (!violations.isEmpty()) {
                count("adm.contractViolations");
                return contractError(violations);
            }
        }
        JsonNode json;
        try {
            json = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (Exception e) {
            return error(400, "Bad Request", "The body is not JSON");
        }
        return route(method, path, query, json);
    }

    private SandboxResponse route(String method, String path, Map<String, String> query, JsonNode body) {
        switch (method + " " + path) {
            case "GET /adm/terms":
                return json(200, mapper.createObjectNode().put("agreementContent", "Ads Data Manager terms (sandbox)")
                        .put("agreementToken", "sandbox-agreement").put("hasAccepted", termsAccepted));
            case "PATCH /adm/terms":
                termsAccepted = body.path("hasAccepted").asBoolean();
                return new SandboxResponse(204, null, new byte[0], Map.of());
            case "GET /adm/datarooms":
                return dataRoomExists ? json(200, dataRoom()) : error(404, "Not Found", "No data room exists for this account");
            case "POST /adm/datarooms":
                if (!dataRoomExists) {
                    dataRoomExists = true;
                    dataRoomCreated = Instant.now();
                    count("datarooms.created");
                }
                return json(201, dataRoom());
            case "POST /adm/audiences":
                return createDataSet(body);
            case "GET /adm/audiences":
                return listDataSets(query);
            case "POST /adm/identities/delete":
                count("identities.deleted", body.path("targetIdentities").size());
                return new SandboxResponse(200, null, new byte[0], Map.of());
            case "POST /adm/sharingRules":
                return createSharingRule(body);
            case "POST /adm/sharingRules/list":
                return listSharingRules(body);
            default:
                break;
        }
        Matcher revoke = REVOKE_PATH.matcher(path);
        if ("PATCH".equals(method) && revoke.matches()) {
            ObjectNode rule = sharingRules.get(revoke.group(1));
            if (rule == null) {
                return error(404, "Not Found", "No such sharing rule");
            }
            rule.put("status", "REVOKED_BY_USER").put("revokedTime", Instant.now().toString());
            return new SandboxResponse(204, null, new byte[0], Map.of());
        }
        Matcher dataSetPath = DATA_SET_PATH.matcher(path);
        if (dataSetPath.matches()) {
            DataSet dataSet = dataSets.get(dataSetPath.group(1));
            if (dataSet == null) {
                return error(404, "Not Found", "No data set with this id");
            }
            String sub = dataSetPath.group(2);
            if ("/members".equals(sub) && "POST".equals(method)) {
                return ingest(dataSet, body);
            }
            if ("/metrics".equals(sub) && "GET".equals(method)) {
                return json(200, dataSet.metrics(mapper));
            }
            if (sub == null && "GET".equals(method)) {
                return json(200, dataSet.describe(mapper));
            }
            if (sub == null && "DELETE".equals(method)) {
                dataSets.remove(dataSet.id);
                return new SandboxResponse(204, null, new byte[0], Map.of());
            }
        }
        return error(404, "Not Found", "No such resource");
    }

    private ObjectNode dataRoom() {
        return mapper.createObjectNode().put("accountId", "sandbox-account").put("assignedToAccountId", "sandbox-account")
                .put("creationDateTime", dataRoomCreated.toString()).put("region", "us-east-1");
    }

    private synchronized SandboxResponse createDataSet(JsonNode body) {
        String name = body.path("name").asText();
        DataSet existing = dataSet(name);
        if (existing != null) {
            ObjectNode error = errorBody("400", "Dataset with this name already exists", "A data set named " + name + " exists");
            error.put("datasetId", existing.id);
            return json(400, error);
        }
        String description = body.hasNonNull("description") ? body.get("description").asText() : null;
        Boolean idRetention = body.hasNonNull("idRetention") ? body.get("idRetention").asBoolean() : null;
        DataSet dataSet = new DataSet("ds-" + String.format("%012x", ids.incrementAndGet()), name,
                body.path("countryCode").asText(), description, idRetention, settings.retainMembers());
        dataSets.put(dataSet.id, dataSet);
        count("audiences.created");
        return json(201, dataSet.describe(mapper));
    }

    private SandboxResponse listDataSets(Map<String, String> query) {
        int limit = (int) Math.max(1, Math.min(100, parseDouble(query.get("limit"), 100)));
        int offset = 0;
        if (query.containsKey("nextToken")) {
            try {
                offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(query.get("nextToken")), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return error(400, "Bad Request", "Invalid nextToken");
            }
        }
        List<DataSet> all = dataSets.values().stream().sorted((a, b) -> a.id.compareTo(b.id)).toList();
        ObjectNode page = mapper.createObjectNode();
        ArrayNode items = page.putArray("dataSets");
        all.stream().skip(offset).limit(limit).forEach(d -> items.add(d.describe(mapper)));
        if (offset + limit < all.size()) {
            page.put("nextToken", Base64.getUrlEncoder().encodeToString(String.valueOf(offset + limit).getBytes(StandardCharsets.UTF_8)));
        }
        return json(200, page);
    }

    private SandboxResponse createSharingRule(JsonNode body) {
        String dataSetId = body.path("dataSetId").asText();
        DataSet dataSet = dataSets.get(dataSetId);
        if (dataSet == null) {
            return error(404, "Not Found", "No data set with this id");
        }
        String application = body.path("application").asText();
        JsonNode metadata = body.path("metadata");
        boolean metadataFits = switch (application) {
            case "DSP_AUDIENCES" -> metadata.has("audienceMetadata");
            case "AMAZON_MARKETING_CLOUD" -> metadata.has("amcMetadata");
            case "EVENTS_MANAGER" -> metadata.has("conversionDefinitionMetadata") || metadata.has("conversionDefinitionId");
            default -> true;
        };
        if (!metadataFits) {
            return error(400, "Bad Request", "The metadata does not match the application " + application);
        }
        String id = "sr-" + String.format("%012x", ids.incrementAndGet());
        ObjectNode rule = mapper.createObjectNode().put("sharingRuleId", id).put("application", application)
                .put("dataSetId", dataSetId).put("dataSetName", dataSet.name)
                .put("destinationAccountId", body.path("destinationAccountId").asText())
                .put("marketplaceId", body.path("marketplaceId").asText()).put("status", "ACTIVE")
                .put("creationTime", Instant.now().toString()).put("activationTime", Instant.now().toString());
        if (metadata.has("audienceMetadata")) {
            rule.putObject("metadata").putObject("audienceMetadata").put("audienceId", "aud-" + id)
                    .put("audienceIdV2", "aud2-" + id).put("audienceName", metadata.path("audienceMetadata").path("audienceName").asText());
        } else if (metadata.has("amcMetadata")) {
            rule.putObject("metadata").set("amcMetadata", metadata.get("amcMetadata"));
        }
        sharingRules.put(id, rule);
        count("sharingRules.created");
        return json(200, rule);
    }

    private SandboxResponse listSharingRules(JsonNode filter) {
        List<String> ids = new ArrayList<>();
        filter.path("datasetIds").forEach(id -> ids.add(id.asText()));
        ObjectNode page = mapper.createObjectNode();
        ArrayNode items = page.putArray("sharingRules");
        for (ObjectNode rule : sharingRules.values()) {
            if ((ids.isEmpty() || ids.contains(rule.path("dataSetId").asText()))
                    && matches(filter, rule, "application") && matches(filter, rule, "destinationAccountId")) {
                items.add(rule);
            }
        }
        return json(200, page);
    }

    private static boolean matches(JsonNode filter, JsonNode rule, String field) {
        return !filter.hasNonNull(field) || filter.get(field).asText().equals(rule.path(field).asText());
    }

    // ---- members ---------------------------------------------------------------------------------

    private SandboxResponse ingest(DataSet dataSet, JsonNode body) {
        JsonNode members = body.path("members");
        ArrayNode errors = mapper.createArrayNode();
        dataSet.uploads.incrementAndGet();
        count("members.received", members.size());
        Instant now = Instant.now();
        for (int index = 0; index < members.size(); index++) {
            JsonNode member = members.get(index);
            String problem = memberProblem(member, dataSet);
            if (problem != null) {
                ObjectNode error = errors.addObject().put("index", index).put("code", "400").put("details", problem);
                error.putArray("errors").addObject().put("errorCode", 400).put("errorMessage", problem).put("errorType", "VALIDATION");
                dataSet.rejected.incrementAndGet();
                count("members.rejected");
                continue;
            }
            dataSet.accept(member, now);
            count("members.accepted");
            if ("DELETE".equals(member.path("action").asText()) && !"GRANTED".equals(consent(member, "amznUserData"))) {
                // Amazon silently ignores a removal without a GRANTED consent signal: count it so tests notice.
                count("members.deletesIgnored");
            }
        }
        ObjectNode response = mapper.createObjectNode().put("ingressId", "ingress-" + UUID.randomUUID());
        if (!errors.isEmpty()) {
            response.set("errors", errors);
        }
        return new SandboxResponse(200, "application/vnd.admAudiences.v1+json", write(response), Map.of());
    }

    /** Why ADM refuses this member, or null when it takes it. Never echoes identity values. */
    private String memberProblem(JsonNode member, DataSet dataSet) {
        String externalUserId = member.path("externalUserId").asText("");
        if (!isExternalUserId(externalUserId)) {
            return "externalUserId must match ^[0-9a-zA-Z_-]{1,128}$";
        }
        if (rejectedExternalUserIds.contains(externalUserId)) {
            return "Member rejected by the sandbox (configured rejection)";
        }
        JsonNode piis = member.path("userIdentity").path("hashedPiis");
        if (piis.size() > 10) {
            return "At most 10 hashedPiis per member";
        }
        int identities = 0;
        for (JsonNode pii : piis) {
            var fields = pii.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (!field.getValue().isTextual() || !isSha256Hex(field.getValue().asText())) {
                    return "hashedPiis." + field.getKey() + " must be a lowercase hex SHA-256 of the normalized value";
                }
                identities++;
            }
        }
        if (identities == 0) {
            return "userIdentity needs at least one hashed identity";
        }
        String country = member.path("userConsent").path("geo").path("countryCode").asText(dataSet.countryCode);
        boolean amazonSignal = isSignal(consent(member, "amznUserData")) || isSignal(consent(member, "amznAdStorage"));
        JsonNode consent = member.path("userConsent").path("consent");
        boolean frameworkSignal = !consent.path("tcf").asText("").isBlank() || !consent.path("gpp").asText("").isBlank();
        if (!amazonSignal && !frameworkSignal) {
            return EEA_AND_UK.contains(country)
                    ? "Members in the UK/EEA need an explicit consent signal (Amazon consent, TCF or GPP)"
                    : "Members carrying PII need a consent signal (Amazon consent, TCF or GPP)";
        }
        return null;
    }

    /** {@code ^[0-9a-zA-Z_-]{1,128}$}, checked without a regex: it runs for every member of every upload. */
    private static boolean isExternalUserId(String id) {
        if (id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code ^[0-9a-f]{64}$}, checked without a regex: it runs for every hash of every member. */
    private static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (c >= LOWER_HEX.length || !LOWER_HEX[c]) {
                return false;
            }
        }
        return true;
    }

    private static String consent(JsonNode member, String field) {
        return member.path("userConsent").path("consent").path("amzn").path(field).asText(null);
    }

    private static boolean isSignal(String value) {
        return "GRANTED".equals(value) || "DENIED".equals(value);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private SandboxResponse contractError(List<OpenApiContract.Violation> violations) {
        if (violations.stream().anyMatch(v -> v.isUnknownPath() || v.isMethodNotAllowed())) {
            return error(404, "Not Found", "No such resource");
        }
        if (violations.stream().anyMatch(OpenApiContract.Violation::isContentType)) {
            return error(415, "Unsupported Media Type", violations.get(0).message());
        }
        ObjectNode body = errorBody("400", "Bad Request", violations.get(0).message());
        ArrayNode errors = body.putArray("errors");
        violations.stream().limit(100).forEach(v -> errors.addObject().put("errorCode", 400).put("errorMessage", v.message())
                .put("errorType", v.key()));
        return json(400, body);
    }

    private SandboxResponse error(int status, String message, String details) {
        return json(status, errorBody(String.valueOf(status), message, details));
    }

    private ObjectNode errorBody(String code, String message, String details) {
        return mapper.createObjectNode().put("code", code).put("message", message).put("details", details);
    }

    private SandboxResponse json(int status, JsonNode body) {
        return new SandboxResponse(status, "application/json", write(body), Map.of());
    }

    private byte[] write(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(String name) {
        count(name, 1);
    }

    private void count(String name, long delta) {
        counters.computeIfAbsent(name, n -> new AtomicLong()).addAndGet(delta);
    }

    private static double parseDouble(String value, double fallback) {
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    /** One data set and what the sandbox accepted into it. */
    public static final class DataSet {
        final String id;
        final String name;
        final String countryCode;
        final String description;
        final Boolean idRetention;
        final Instant created = Instant.now();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong uploads = new AtomicLong();
        /** When the last member was accepted: the end of a delivery, for benchmarks and people. */
        volatile Instant lastAcceptedAt;
        private final boolean retainMembers;
        private final Map<String, StoredMember> members = new ConcurrentHashMap<>();

        DataSet(String id, String name, String countryCode, String description, Boolean idRetention, boolean retainMembers) {
            this.id = id;
            this.name = name;
            this.countryCode = countryCode;
            this.description = description;
            this.idRetention = idRetention;
            this.retainMembers = retainMembers;
        }

        void accept(JsonNode member, Instant acceptedAt) {
            accepted.incrementAndGet();
            lastAcceptedAt = acceptedAt;
            members.compute(member.path("externalUserId").asText(), (id, previous) -> new StoredMember(member.path("action").asText(),
                    retainMembers ? member : null, previous == null ? 1 : previous.timesAccepted() + 1, acceptedAt));
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public long acceptedCount() {
            return accepted.get();
        }

        public long rejectedCount() {
            return rejected.get();
        }

        public long uploadCount() {
            return uploads.get();
        }

        /** The last accepted state of each member, by external user id. */
        public Map<String, StoredMember> members() {
            return Map.copyOf(members);
        }

        ObjectNode describe(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode().put("dataSetId", id).put("name", name).put("countryCode", countryCode)
                    .put("clientName", "adm-connect").put("createdBy", "sandbox").put("dataSetType", "AUDIENCE")
                    .put("dateCreated", created.toString()).put("lastModified", created.toString()).put("lastModifiedBy", "sandbox");
            if (description != null) {
                node.put("description", description);
            }
            if (idRetention != null) {
                node.put("idRetention", idRetention);
            }
            node.putArray("schema");
            return node;
        }

        ObjectNode metrics(ObjectMapper mapper) {
            long total = accepted.get() + rejected.get();
            return mapper.createObjectNode().put("dataSetId", id).put("name", name).put("countryCode", countryCode)
                    .put("dataSetSource", "API").put("dataSetType", "AUDIENCE").put("description", description == null ? "" : description)
                    .put("dateCreated", created.toString()).put("lastModified", Instant.now().toString())
                    .put("uploadCount", uploads.get()).put("acceptedCount", accepted.get()).put("invalidRecordCount", rejected.get())
                    .put("recordsWithIdentity", accepted.get()).put("recordsResolved", 0).put("matchRecordPercentage", 0.0f)
                    .put("idRetention", idRetention != null && idRetention).put("totalReceived", total);
        }
    }

    /** A member's last accepted action, its JSON (when retained), how often and when it was last accepted. */
    public record StoredMember(String action, JsonNode member, int timesAccepted, Instant acceptedAt) {
    }
}
