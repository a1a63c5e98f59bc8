package io.admconnect.batching;

import io.admconnect.adm.AdmAuthException;
import io.admconnect.adm.AdmPreflightException;
import io.admconnect.adm.AdmRejectedException;
import io.admconnect.adm.AdmThrottledException;
import io.admconnect.adm.AdmTransientException;
import io.admconnect.app.AdmSettings;
import io.admconnect.cluster.LeaderElection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The core routes behind every source: the batcher claims complete batches from the durable store, and
 * the delivery route uploads each through {@code adm:uploadMembers}, with Camel's error handling choosing
 * retry, pause or dead letter by the component's typed failures. The batcher runs on the leader of its
 * group only ({@link LeaderElection}); the delivery route gets work from it alone.
 */
@ApplicationScoped
public class DeliveryRoutes extends RouteBuilder {

    @Inject
    AdmSettings settings;

    @Inject
    Delivery delivery;

    @Override
    public void configure() {
        int concurrency = settings.delivery().concurrency();

        // Leader-only (master:): one replica at a time claims batches; the others only take records in.
        from("master:" + LeaderElection.BATCHER + ":timer:adm-batcher?period=" + settings.delivery().pollInterval().toMillis())
                .routeId("adm-batcher")
                .bean(delivery, "claimBatches")
                .split(body())
                    .to("seda:adm-delivery");

        from("seda:adm-delivery?concurrentConsumers=" + concurrency + "&size=" + (2 * concurrency) + "&blockWhenFull=true")
                .routeId("adm-delivery")
                .onException(AdmThrottledException.class, AdmTransientException.class)
                    .handled(true)
                    .bean(delivery, "retryLater")
                .end()
                .onException(AdmAuthException.class, AdmPreflightException.class)
                    .handled(true)
                    .bean(delivery, "pause")
                .end()
                .onException(AdmRejectedException.class, IllegalArgumentException.class)
                    .handled(true)
                    .bean(delivery, "deadLetterBatch")
                .end()
                .onException(Exception.class)
                    // Anything unexpected (e.g. the store briefly unreachable): keep the batch, try later.
                    .handled(true)
                    .bean(delivery, "retryLater")
                .end()
                .bean(delivery, "prepare")
                .to("adm:uploadMembers")
                .bean(delivery, "complete");
    }
}
