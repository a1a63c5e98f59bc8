package io.admconnect.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.URISupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads the YAML routes of {@code CAMEL_MAIN_ROUTES_INCLUDE_PATTERN} (default {@code file:routes/*.yaml})
 * one file at a time, so that a broken partner route is reported with its file and line and the other
 * routes still run. (Camel's own loader stops the whole bundle on the first bad file; {@link RoutePattern}
 * hands the pattern to this loader instead.) Failures show in the log and in {@code /q/health/well}.
 */
@ApplicationScoped
public class RouteFiles {

    private static final Logger LOG = Logger.getLogger(RouteFiles.class);

    @Inject
    CamelContext camel;

    @ConfigProperty(name = RoutePattern.PATTERN)
    String pattern;

    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final List<String> loaded = new ArrayList<>();

    void onStart(@Observes StartupEvent event) throws Exception {
        for (String location : pattern.split(",")) {
            if (location.isBlank()) {
                continue;
            }
            Collection<Resource> resources;
            try {
                resources = PluginHelper.getPackageScanResourceResolver(camel).findResources(location.trim());
            } catch (java.io.IOException e) {
                LOG.warnf("No route files at %s (%s): only the built-in routes run", location.trim(), e.getMessage());
                continue;
            }
            for (Resource resource : resources.stream().sorted((a, b) -> a.getLocation().compareTo(b.getLocation())).toList()) {
                load(resource);
            }
        }
        LOG.infof("Loaded %d route file(s) from %s%s", loaded.size(), pattern,
                failures.isEmpty() ? "" : "; " + failures.size() + " failed (see above)");
    }

    private void load(Resource resource) {
        List<String> before = camel.getRoutes().stream().map(route -> route.getRouteId()).toList();
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
            loaded.add(resource.getLocation());
        } catch (Exception e) {
            // Take out whatever part of the file got in, so a half-loaded file does not run.
            camel.getRoutes().stream().map(route -> route.getRouteId()).filter(id -> !before.contains(id)).toList()
                    .forEach(this::remove);
            String problem = describe(e);
            failures.put(resource.getLocation(), problem);
            LOG.errorf("Route file %s was not loaded (the other routes run): %s", resource.getLocation(), problem);
        }
    }

    private void remove(String routeId) {
        try {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        } catch (Exception e) {
            LOG.warnf("Could not remove route %s of a failed file: %s", routeId, e.getMessage());
        }
    }

    /**
     * The chain of causes, which for YAML names the line and column. Route files hold no PII, but their endpoint
     * URIs may hold secrets: Camel masks them in its own messages, not in those it passes on (a URI that does not
     * parse), so every message is masked the same way.
     */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null && text.length() < 2_000; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? null : URISupport.sanitizeUri(cause.getMessage());
            if (message != null && text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : " <- ").append(message.replace('\n', ' ').replaceAll("\\s+", " ").trim());
            }
        }
        return text.toString();
    }

    /** Route files that could not be loaded, with the reason. */
    public Map<String, String> failures() {
        return Map.copyOf(failures);
    }

    public int loadedCount() {
        return loaded.size();
    }
}
