package io.admconnect.processor;

import org.apache.camel.Exchange;

/**
 * Which source an exchange's records come from, for metrics and the store: the {@code AdmSource}
 * property when a source Kamelet sets it (its own route has a generated id), else the route id.
 */
public final class SourceName {

    public static final String PROPERTY = "AdmSource";

    private SourceName() {
    }

    public static String of(Exchange exchange) {
        String named = exchange.getProperty(PROPERTY, String.class);
        if (named != null && !named.isBlank()) {
            return named;
        }
        return exchange.getFromRouteId() == null ? "unknown" : exchange.getFromRouteId();
    }
}
