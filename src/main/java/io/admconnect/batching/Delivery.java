package io.admconnect.batching;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.admconnect.adm.AdmConstants;
import io.admconnect.adm.AdmException;
import io.admconnect.adm.AdmThrottledException;
import io.admconnect.adm.SerializedMembers;
import io.admconnect.adm.UploadResult;
import io.admconnect.cluster.LeaderElection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.jboss.logging.Logger;

/**
 * What the delivery route does with a batch before and after {@code adm:uploadMembers}. Retries are
 * durable: a failed batch goes back to the store with its next attempt time (honouring Retry-After,
 * otherwise exponential backoff with jitter, bounded), so retries survive restarts and hold no thread.
 * Bounded concurrency: the batcher claims no more batches than there are free delivery slots.
 */
@ApplicationScoped
@Named("admDelivery")
public class Delivery {

    static final String BATCH = "AdmBatch";
    /** Histogram buckets of adm_batch_latency_seconds (percentiles in k8s/grafana); batches wait ADM_BATCH_MAX_WAIT (5s) by default. */
    private static final Duration[] LATENCY_BUCKETS = { Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1) };
    private static final Logger LOG = Logger.getLogger(Delivery.class);

    @Inject
    MemberStore store;

    @Inject
    BatchSettings settings;

    @Inject
    MeterRegistry registry;

    @Inject
    CamelClusterService cluster;

    private final AtomicInteger inFlight = new AtomicInteger();
    /** Data sets whose members stored up to the given time need not wait for ADM_BATCH_MAX_WAIT ({@link #flush}). */
    private final Map<String, Instant> flushes = new ConcurrentHashMap<>();
    private volatile Instant pausedUntil = Instant.EPOCH;
    /** Set when this process becomes the batcher's leader; the next claim first takes over what others left in flight. */
    private volatile boolean takeOver = true;

    void onStart(@Observes StartupEvent event) throws Exception {
        registry.gauge("adm.members.in_flight", store, MemberStore::membersInFlight);
        registry.gauge("adm.delivery.paused", this, delivery -> delivery.isPaused() ? 1 : 0);
        // Not at startup: a replica starting next to a live leader must not re-queue the leader's uploads.
        cluster.getView(LeaderElection.BATCHER).addEventListener((CamelClusterEventListener.Leadership) (view, leader) -> {
            if (view.getLocalMember().isLeader()) {
                takeOver = true;
            }
        });
    }

    public boolean isPaused() {
        return Instant.now().isBefore(pausedUntil);
    }

    /** The batches to upload now, no more than free delivery slots. Runs on the batcher's leader only. */
    public List<MemberBatch> claimBatches() {
        if (takeOver) {
            int recovered = store.recoverInterruptedBatches();
            takeOver = false;
            LOG.infof("This process (%s) now runs the batcher%s", store.replica(), recovered == 0 ? ""
                    : "; " + recovered + " batch(es) another process left in flight (stopped or crashed mid-upload) will be sent again");
        }
        int free = settings.concurrency() - inFlight.get();
        if (free <= 0 || isPaused()) {
            return List.of();
        }
        Instant now = Instant.now();
        // After ADM_BATCH_MAX_WAIT a flush request changes nothing any more: the members are due anyway.
        flushes.values().removeIf(requested -> requested.isBefore(now.minus(settings.limits().maxWait())));
        List<MemberBatch> batches = store.claim(settings.claimLimits(), free, now, Map.copyOf(flushes));
        inFlight.addAndGet(batches.size());
        return batches;
    }

    /**
     * A source handed over everything it had for now (a dropped file is completely stored, a poll read its last
     * page): the data set's members stored until now are uploaded without waiting for more to fill the batch. A
     * hint to this process's batcher (on another replica the members wait ADM_BATCH_MAX_WAIT as usual).
     */
    public void flush(String dataSet) {
        flushes.put(dataSet, Instant.now());
    }

    /** Turns the batch into the upload: body, data set header, and the batch kept as a property. */
    public void prepare(Exchange exchange) {
        MemberBatch batch = exchange.getMessage().getBody(MemberBatch.class);
        exchange.setProperty(BATCH, batch);
        exchange.getMessage().setHeader(AdmConstants.DATA_SET, batch.dataSet());
        exchange.getMessage().setBody(new SerializedMembers(batch.uploadBody(), batch.memberCount()));
    }

    /** ADM answered 200: accepted members are done, refused ones become dead letters. */
    public void complete(Exchange exchange) {
        MemberBatch batch = batch(exchange);
        try {
            UploadResult result = exchange.getMessage().getBody(UploadResult.class);
            store.complete(batch, result);
            Counter.builder("adm.members.uploaded").tag("data_set", batch.dataSet()).register(registry).increment(result.accepted());
            Timer.builder("adm.batch.latency").description("From the oldest member's arrival to ADM's acknowledgement")
                    .tag("data_set", batch.dataSet()).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                    .record(Duration.between(batch.firstReceivedAt(), Instant.now()));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Throttled, 5xx, timeout: try again later. A 429 waits at least Retry-After and does not use up an
     * attempt (ADM asks us to slow down, not to give up); other failures dead-letter the batch once its
     * attempts are used up.
     */
    public void retryLater(Exchange exchange) {
        afterFailure(exchange, (batch, failure) -> {
            boolean throttled = failure instanceof AdmThrottledException;
            int attempts = batch.attempts() + (throttled ? 0 : 1);
            if (attempts >= settings.maxAttempts()) {
                LOG.warnf("Batch %d (%d members of %s) failed %d times; dead-lettering it: %s", batch.id(), batch.memberCount(),
                        batch.dataSet(), attempts, failure.getMessage());
                store.deadLetter(batch, "adm_unavailable", failure.getMessage(), requestId(failure));
                return;
            }
            Duration delay = backoff(Math.max(1, attempts));
            if (throttled && ((AdmThrottledException) failure).getRetryAfter().compareTo(delay) > 0) {
                delay = ((AdmThrottledException) failure).getRetryAfter();
            }
            LOG.debugf("Batch %d: attempt %d failed (%s); next attempt in %d ms", batch.id(), attempts, failure.getMessage(),
                    delay.toMillis());
            store.retryLater(batch, Instant.now().plus(delay), failure.getMessage(), !throttled);
        });
    }

    /** Credentials or permissions are wrong: keep the batch, pause delivery, alert. Retrying would only burn batches. */
    public void pause(Exchange exchange) {
        afterFailure(exchange, (batch, failure) -> {
            pausedUntil = Instant.now().plus(settings.authPause());
            LOG.errorf("ADM delivery paused for %d s: %s", settings.authPause().toSeconds(), failure.getMessage());
            store.retryLater(batch, pausedUntil, failure.getMessage(), false);
        });
    }

    /** ADM refused the request itself (4xx): sending it again would fail the same way. */
    public void deadLetterBatch(Exchange exchange) {
        afterFailure(exchange, (batch, failure) -> {
            String reason = failure instanceof AdmException adm && adm.getStatus() > 0 ? "adm_rejected_" + adm.getStatus() : "invalid_batch";
            LOG.warnf("Batch %d (%d members of %s) refused by ADM; dead-lettering it: %s", batch.id(), batch.memberCount(),
                    batch.dataSet(), failure.getMessage());
            store.deadLetter(batch, reason, failure.getMessage(), requestId(failure));
        });
    }

    /** Counts the failed upload, lets {@code outcome} decide the batch's fate, and frees the delivery slot. */
    private void afterFailure(Exchange exchange, BiConsumer<MemberBatch, Exception> outcome) {
        try {
            Exception failure = failure(exchange);
            String status = failure instanceof AdmException adm ? String.valueOf(adm.getStatus()) : "none";
            registry.counter("adm.upload.errors", "status", status).increment();
            outcome.accept(batch(exchange), failure);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Duration backoff(int attempts) {
        long initial = settings.initialBackoff().toMillis();
        long capped = Math.min(settings.maxBackoff().toMillis(), initial << Math.min(attempts - 1, 20));
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis((long) (capped * jitter));
    }

    private static MemberBatch batch(Exchange exchange) {
        return exchange.getProperty(BATCH, MemberBatch.class);
    }

    private static Exception failure(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    private static String requestId(Exception failure) {
        return failure instanceof AdmException adm ? adm.getRequestId() : null;
    }
}
