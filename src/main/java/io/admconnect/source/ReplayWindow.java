package io.admconnect.source;

import java.time.Duration;

import io.quarkus.runtime.configuration.DurationConverter;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A webhook source's own replay window ({@link WebhookReplays}), checked when the route is created, as
 * {@link SourceMapping} checks a mapping: the webhook Kamelet declares it as a bean of its template, so a value
 * that is not a duration stops that route from starting and is reported with the source. As a step of the route
 * it puts the window on each exchange ({@value #PROPERTY}); blank: the bundle's {@code WEBHOOK_REPLAY_WINDOW}.
 */
public class ReplayWindow implements Processor {

    public static final String PROPERTY = "AdmWebhookReplayWindow";

    private String source;
    private String window;
    private Duration parsed;

    public void setSource(String source) {
        this.source = source;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    /** The bean's init method. */
    public void parse() {
        if (window != null && !window.isBlank()) {
            parsed = SourceMapping.checked(source, () -> parse(window));
        }
    }

    /** A window as settings write durations ({@code 24h}, {@code 30m}, {@code 500ms}); {@code 0s} switches replays off. */
    static Duration parse(String text) {
        Duration duration;
        try {
            duration = DurationConverter.parseDuration(text.strip());
        } catch (RuntimeException e) {
            duration = null;
        }
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("replay window '" + text + "' is not a duration such as 24h, 30m or 0s");
        }
        return duration;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(PROPERTY, parsed);
    }

    @Override
    public String toString() {
        return "ReplayWindow[" + source + "]";
    }
}
