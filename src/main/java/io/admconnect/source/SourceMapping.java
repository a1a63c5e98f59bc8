package io.admconnect.source;

import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A source route's field mapping, parsed when the route is created rather than on its first record: the source
 * Kamelets declare it as a bean of their template ({@code beans:}, with their {@code source} and {@code mapping}
 * parameters), so a mapping with a syntax error or an unknown canonical field stops that route from starting, and
 * {@link RouteFiles} reports it while the other routes run. As a step of the route it puts the parsed mapping on
 * each exchange ({@value #PROPERTY}), where {@link FileDrop} and {@link WebhookIntake} read it.
 */
public class SourceMapping implements Processor {

    public static final String PROPERTY = "AdmFieldMapping";

    private String source;
    private String mapping;
    private FieldMapping parsed;

    public void setSource(String source) {
        this.source = source;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    /** The bean's init method: a blank mapping means the records already use the canonical names. */
    public void parse() {
        if (mapping != null && !mapping.isBlank()) {
            parsed = checked(source, () -> FieldMapping.parse(mapping));
        }
    }

    /** Checks a source's setting; a bad one is reported with the source's name (and names the entry itself). */
    static <T> T checked(String source, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Source " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(PROPERTY, parsed);
    }

    /** The mapping a route's {@code SourceMapping} step put on the exchange; null when the route has none. */
    static FieldMapping of(Exchange exchange) {
        Object mapping = exchange.getProperty(PROPERTY);
        if (mapping == null || mapping instanceof FieldMapping) {
            return (FieldMapping) mapping;
        }
        throw new IllegalStateException(PROPERTY + " is set by a source Kamelet's mapping parameter, not as text by a route");
    }

    @Override
    public String toString() {
        return "SourceMapping[" + source + "]";
    }
}
