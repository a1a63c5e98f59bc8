package io.admconnect.batching;

import java.time.Duration;

import io.admconnect.app.AdmSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The batch limits and delivery settings, from {@code ADM_BATCH_*} and {@code adm.delivery.*}. */
@ApplicationScoped
public class BatchSettings {

    @Inject
    AdmSettings settings;

    private volatile BatchLimits limits;

    public BatchLimits limits() {
        if (limits == null) {
            limits = new BatchLimits(settings.batch().maxMembers(), BatchLimits.MAX_BYTES, settings.batch().maxWait());
        }
        return limits;
    }

    /**
     * The limits the batcher claims by. A batch that falls due before the batcher's next look (one poll interval
     * away) is taken now, up to one interval early rather than up to one interval late: a member waits at most
     * ADM_BATCH_MAX_WAIT before its upload starts.
     */
    public BatchLimits claimLimits() {
        return limits().dueEarlierBy(settings.delivery().pollInterval());
    }

    /** How many uploads run at once. */
    public int concurrency() {
        return settings.delivery().concurrency();
    }

    /** Attempts of a batch before it is dead-lettered as a whole. */
    public int maxAttempts() {
        return settings.delivery().maxAttempts();
    }

    public Duration initialBackoff() {
        return settings.delivery().initialBackoff();
    }

    public Duration maxBackoff() {
        return settings.delivery().maxBackoff();
    }

    /** How long delivery pauses after an authentication failure before trying again. */
    public Duration authPause() {
        return settings.delivery().authPause();
    }
}
