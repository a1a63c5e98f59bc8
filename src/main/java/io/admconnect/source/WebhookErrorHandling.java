package io.admconnect.source;

import io.admconnect.batching.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of webhook routes ({@code routeConfigurationId: adm-webhook}): when the store cannot
 * take the records, the caller gets a 503 and sends them again; nothing was acknowledged.
 */
@ApplicationScoped
public class WebhookErrorHandling extends RouteConfigurationBuilder {

    @Inject
    WebhookIntake intake;

    @Override
    public void configuration() {
        routeConfiguration("adm-webhook")
                .onException(StoreException.class)
                    .handled(true)
                    .bean(intake, "storeUnavailable");
    }
}
