package io.admconnect.source;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kamelet.KameletEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/** Partner routes that a test adds to the running bundle, as {@link RouteFiles} loads them, and takes out again. */
final class PartnerRoutes {

    private PartnerRoutes() {
    }

    static void load(CamelContext camel, String name, String yaml) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString(name, yaml));
    }

    /** Stops and removes the route; its Kamelet's poller stops with it. */
    static void unload(CamelContext camel, String routeId) throws Exception {
        camel.getRouteController().stopRoute(routeId);
        camel.removeRoute(routeId);
    }

    /** The route a source Kamelet created for the route that uses it (its poller). */
    static Route kameletRouteOf(CamelContext camel, String routeId) {
        return camel.getRoute(((KameletEndpoint) camel.getRoute(routeId).getEndpoint()).getRouteId());
    }
}
