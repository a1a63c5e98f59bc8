package io.admconnect.adm;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login with Amazon access tokens for one set of credentials. A token is refreshed shortly before it
 * expires, and only one refresh runs at a time however many uploads want a token.
 */
final class LwaTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(LwaTokenProvider.class);
    private static final Duration MAX_REFRESH_MARGIN = Duration.ofSeconds(60);

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final Duration requestTimeout;
    private final Clock clock;
    private final ReentrantLock refreshLock = new ReentrantLock();

    private volatile String refreshToken;
    private volatile AccessToken current;

    LwaTokenProvider(HttpClient http, ObjectMapper mapper, String tokenUrl, String clientId, String clientSecret,
            String refreshToken, Duration requestTimeout, Clock clock) {
        this.http = http;
        this.mapper = mapper;
        this.tokenUrl = URI.create(tokenUrl);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /** A token that stays valid for at least the refresh margin. */
    String token() {
        AccessToken token = current;
        if (token != null && token.isFresh(clock.instant())) {
            return token.value;
        }
        refreshLock.lock();
        try {
            token = current;
            if (token != null && token.isFresh(clock.instant())) {
                return token.value;
            }
            return refresh().value;
        } finally {
            refreshLock.unlock();
        }
    }

    /**
     * ADM refused {@code rejected} with a 401: refresh, unless another caller already replaced that
     * token while this one waited.
     */
    String tokenAfterRejection(String rejected) {
        refreshLock.lock();
        try {
            AccessToken token = current;
            if (token != null && !token.value.equals(rejected) && token.isFresh(clock.instant())) {
                return token.value;
            }
            return refresh().value;
        } finally {
            refreshLock.unlock();
        }
    }

    private AccessToken refresh() {
        String form = "grant_type=refresh_token"
                + "&refresh_token=" + encode(refreshToken)
                + "&client_id=" + encode(clientId)
                + "&client_secret=" + encode(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AdmTransientException("Login with Amazon token refresh failed: " + e.getClass().getSimpleName(), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdmTransientException("Login with Amazon token refresh was interrupted", 0, null, e);
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status == 200 && body.hasNonNull("access_token")) {
            long expiresIn = body.path("expires_in").asLong(3600);
            AccessToken token = new AccessToken(body.get("access_token").asText(), clock.instant().plusSeconds(expiresIn),
                    refreshMargin(expiresIn));
            String rotated = body.path("refresh_token").asText(null);
            if (rotated != null && !rotated.isBlank()) {
                refreshToken = rotated;
            }
            current = token;
            LOG.debug("Login with Amazon access token refreshed; valid for {} s", expiresIn);
            return token;
        }
        String error = body.path("error").asText("");
        if (status == 400 && "invalid_grant".equals(error)) {
            throw new AdmAuthException("Login with Amazon refused the refresh token (invalid_grant): it was revoked or"
                    + " belongs to another client. Authorize the app again and set ADM_REFRESH_TOKEN to the new refresh token.",
                    status, null);
        }
        if (status == 401 || "invalid_client".equals(error)) {
            throw new AdmAuthException("Login with Amazon refused the client credentials (invalid_client):"
                    + " check ADM_CLIENT_ID and ADM_CLIENT_SECRET.", status, null);
        }
        if (status >= 500 || status == 429) {
            throw new AdmTransientException("Login with Amazon token refresh answered " + status, status, null, null);
        }
        throw new AdmAuthException("Login with Amazon token refresh answered " + status
                + (error.isEmpty() ? "" : " (" + error + ")") + ": check the ADM_CLIENT_ID, ADM_CLIENT_SECRET and ADM_REFRESH_TOKEN settings.",
                status, null);
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    /** A minute before expiry, or a tenth of the lifetime for short-lived tokens. */
    private static Duration refreshMargin(long expiresInSeconds) {
        Duration tenth = Duration.ofSeconds(expiresInSeconds).dividedBy(10);
        return tenth.compareTo(MAX_REFRESH_MARGIN) < 0 ? tenth : MAX_REFRESH_MARGIN;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private record AccessToken(String value, Instant expiresAt, Duration margin) {
        boolean isFresh(Instant now) {
            return now.isBefore(expiresAt.minus(margin));
        }

        @Override
        public String toString() {
            return "AccessToken[expiresAt=" + expiresAt + "]";
        }
    }
}
