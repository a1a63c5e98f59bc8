package io.admconnect.source;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Forgets webhook bodies past their replay window ({@link WebhookReplays}) once an hour. Every replica may
 * run it: deleting what has expired is the same whoever does it.
 */
@ApplicationScoped
public class WebhookReplayPurge extends RouteBuilder {

    @Inject
    WebhookReplays replays;

    @Override
    public void configure() {
        from("timer:webhook-replay-purge?delay=60000&period=3600000")
                .routeId("webhook-replay-purge")
                .bean(replays, "purgeExpired");
    }
}
