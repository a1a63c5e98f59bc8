package io.admconnect.source;

import java.util.Optional;

import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.kamelet.KameletEndpoint;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.util.function.ThrowingHelper;

/**
 * Runs a source Kamelet's route while the route that uses it ({@code from: kamelet:adm-sftp-source...}) runs.
 * Camel creates the Kamelet's own route (the poller, the HTTP endpoint) when the using route is created, and
 * would start it whatever the using route's {@code autoStartup} says; so the Kamelets of this bundle declare
 * {@code autoStartup: false}, and this policy of the using route starts the Kamelet's route when that route
 * starts and stops it when that route stops. A source switched off does not poll, and stopping or restarting a
 * source's route stops or restarts its poller.
 */
@Singleton
@Unremovable // Camel finds route policy factories in the registry by type; nothing injects this one
public class SourceKameletLifecycle implements RoutePolicyFactory {

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode node) {
        if (!(node instanceof RouteDefinition route) || Boolean.TRUE.equals(route.isKamelet())
                || route.getInput() == null || !route.getInput().getEndpointUri().startsWith("kamelet:")) {
            return null;
        }
        return new RoutePolicySupport() {
            @Override
            public void onStart(Route using) {
                kameletRoute(using).ifPresent(ThrowingHelper.wrapAsConsumer(camel.getRouteController()::startRoute));
            }

            @Override
            public void onStop(Route using) {
                if (!camel.isStopping()) { // at shutdown Camel stops every route itself
                    kameletRoute(using).ifPresent(ThrowingHelper.wrapAsConsumer(camel.getRouteController()::stopRoute));
                }
            }
        };
    }

    /** The id of the Kamelet's route, while it exists. */
    private static Optional<String> kameletRoute(Route using) {
        if (using.getEndpoint() instanceof KameletEndpoint kamelet && using.getCamelContext().getRoute(kamelet.getRouteId()) != null) {
            return Optional.of(kamelet.getRouteId());
        }
        return Optional.empty();
    }
}
