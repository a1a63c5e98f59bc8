package io.admconnect.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Guards the admin API with the bearer token {@code ADMIN_TOKEN}, compared in constant time. Without a
 * configured token the admin API is off.
 */
@ApplicationScoped
@Named("adminAuthorization")
public class AdminAuthorization {

    @ConfigProperty(name = "admin.token")
    Optional<String> adminToken;

    /** Stops the exchange with 401/503 and a JSON message unless the request carries the admin token. */
    public void check(Exchange exchange) {
        if (adminToken.filter(token -> !token.isBlank()).isEmpty()) {
            refuse(exchange, 503, "The admin API is off: set ADMIN_TOKEN to enable it");
            return;
        }
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), adminToken.get().getBytes(StandardCharsets.UTF_8))) {
            refuse(exchange, 401, "Missing or wrong bearer token");
        }
    }

    private static void refuse(Exchange exchange, int status, String message) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        }
        exchange.getMessage().setBody("{\"message\":\"" + message + "\"}");
        exchange.setRouteStop(true);
    }
}
