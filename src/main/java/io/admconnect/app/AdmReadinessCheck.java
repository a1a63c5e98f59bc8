package io.admconnect.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only after the ADM preflight and provisioning succeeded. */
@Readiness
@ApplicationScoped
public class AdmReadinessCheck implements HealthCheck {

    @Inject
    AdmProvisioning provisioning;

    @Override
    public HealthCheckResponse call() {
        AdmProvisioning.State state = provisioning.state();
        return HealthCheckResponse.named("adm")
                .status(state.phase() == AdmProvisioning.Phase.READY)
                .withData("phase", state.phase().name())
                .withData("message", state.message())
                .build();
    }
}
