package io.admconnect.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.admconnect.adm.AdmAuthException;
import io.admconnect.adm.AdmClient;
import io.admconnect.adm.AdmComponent;
import io.admconnect.adm.AdmException;
import io.admconnect.adm.AdmPreflightException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

/**
 * Before any upload: checks the ADM account (terms accepted, data room present) and provisions the data
 * sets and sharing rules declared under {@code adm.data-sets}. Runs in the background and retries while
 * ADM is unreachable; the readiness check reports UP only once it has succeeded. A problem only an
 * operator can fix (terms, credentials, a bad declaration) stops it with a message saying what to do.
 */
@ApplicationScoped
public class AdmProvisioning {

    private static final Logger LOG = Logger.getLogger(AdmProvisioning.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    @Inject
    AdmSettings settings;

    @Inject
    @Named("adm")
    AdmComponent adm;

    private ScheduledExecutorService executor;
    private volatile State state = new State(Phase.PENDING, "ADM preflight has not run yet");
    private int attempts;

    void onStart(@Observes StartupEvent event) {
        List<String> missing = AdmComponentProducer.missingCredentials(settings);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("ADM is not configured: set " + String.join(", ", missing)
                    + ", or ADM_SANDBOX=true to try adm-connect against its embedded ADM sandbox.");
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "adm-provisioning");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts once the HTTP server listens: the embedded sandbox is served by this very process. */
    void onHttpStart(@ObservesAsync HttpServerStart event) {
        executor.execute(this::attempt);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    public State state() {
        return state;
    }

    private void attempt() {
        attempts++;
        try {
            provision();
            state = new State(Phase.READY, "ADM account ready: terms accepted, data room present, "
                    + settings.dataSets().size() + " declared data set(s) provisioned");
            LOG.info(state.message());
        } catch (AdmPreflightException | AdmAuthException | IllegalArgumentException e) {
            state = new State(Phase.FAILED, e.getMessage());
            LOG.error("ADM provisioning stopped; uploads will not start until this is fixed: " + e.getMessage());
        } catch (AdmException e) {
            Duration backoff = backoff(attempts);
            state = new State(Phase.PENDING, "ADM unreachable, retrying in " + backoff.toSeconds() + " s: " + e.getMessage());
            LOG.warn(state.message());
            executor.schedule(this::attempt, backoff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void provision() {
        AdmClient client = adm.defaultClient();
        client.preflight();
        for (Map.Entry<String, AdmSettings.DataSet> entry : settings.dataSets().entrySet()) {
            String name = entry.getKey();
            AdmSettings.DataSet declared = entry.getValue();
            String dataSetId = client.resolveDataSet(new AdmClient.DataSetSpec(name, declared.countryCode().orElse(settings.country()),
                    declared.description().orElse(null), declared.idRetention().orElse(null)));
            for (AdmSettings.SharingRule rule : declared.sharingRules()) {
                client.ensureSharingRule(dataSetId, new AdmClient.SharingRuleSpec(rule.application(), rule.destinationAccountId(),
                        rule.marketplaceId(), rule.audienceName().orElse(name), rule.audienceDescription().orElse(null),
                        rule.amcInstanceId().orElse(null), rule.conversionDefinitionId().orElse(null)));
            }
        }
    }

    /** 1 s, 2 s, 4 s, ... at most 30 s. */
    private static Duration backoff(int attempt) {
        Duration delay = Duration.ofSeconds(1L << Math.min(attempt - 1, 5));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    public enum Phase {
        PENDING, READY, FAILED
    }

    public record State(Phase phase, String message) {
    }
}
