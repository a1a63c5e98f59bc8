package io.admconnect.source;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/** {@code /q/health/well}: DOWN while a route file failed to load. Liveness and readiness are not affected. */
@Wellness
@ApplicationScoped
public class RouteFilesCheck implements HealthCheck {

    @Inject
    RouteFiles routeFiles;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("route-files")
                .status(routeFiles.failures().isEmpty()).withData("loaded", routeFiles.loadedCount());
        routeFiles.failures().forEach(response::withData);
        return response.build();
    }
}
