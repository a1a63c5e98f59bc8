package io.admconnect.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.admconnect.adm.AdmRegion;
import io.admconnect.cluster.ClusterMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The bundle's ADM settings ({@code adm.*}, from environment variables such as {@code ADM_CLIENT_ID}).
 * See the README's configuration table.
 */
@ConfigMapping(prefix = "adm")
public interface AdmSettings {

    @WithDefault("NA")
    AdmRegion region();

    Optional<String> apiUrl();

    Optional<String> authUrl();

    Optional<String> clientId();

    Optional<String> clientSecret();

    Optional<String> refreshToken();

    Optional<String> managerAccountId();

    Optional<String> advertiserAccountId();

    /** Talk to the embedded ADM sandbox instead of Amazon. Never implied. */
    @WithDefault("false")
    boolean sandbox();

    /** Default country of data sets and records. */
    @WithDefault("US")
    String country();

    /** Where the embedded store keeps its files. */
    @WithDefault("./data")
    String dataDir();

    Batch batch();

    Delivery delivery();

    /**
     * How replicas elect the one that runs the leader-only routes (pollers, the batcher): {@code none}
     * (default: this process leads, everything runs locally), {@code file} or {@code kubernetes}.
     */
    @WithDefault("none")
    ClusterMode cluster();

    Leader leader();

    /** Data sets to provision at startup, by name, each with its sharing rules. */
    Map<String, DataSet> dataSets();

    interface Batch {
        @WithDefault("5000")
        int maxMembers();

        @WithDefault("5s")
        Duration maxWait();
    }

    interface Delivery {
        /** Uploads running at once (ADM publishes no quota; peers see 429s at low rates). */
        @WithDefault("2")
        int concurrency();

        /** Attempts of a batch (throttled, 5xx, timeouts) before its members are dead-lettered. */
        @WithDefault("10")
        int maxAttempts();

        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /** Pause after an authentication failure (revoked token, missing permission) before trying again. */
        @WithDefault("1m")
        Duration authPause();

        /** How often the batcher looks for complete batches; a batch due before its next look is taken up to this much early. */
        @WithDefault("100ms")
        Duration pollInterval();
    }

    interface Leader {
        /** Kubernetes: a Lease not renewed for this long is free. File: a lock not refreshed for this long is stale. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** Kubernetes: a leader that could not renew for this long stops its leader-only routes. */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often members check the lease (Kubernetes, randomized by 20 %) or the lock file. */
        @WithDefault("2s")
        Duration retryPeriod();

        /** Kubernetes: Leases are named {@code <prefix>-<group>}, e.g. {@code adm-connect-adm-batcher}. */
        @WithDefault("adm-connect")
        String leasePrefix();

        /** Kubernetes: labels of the bundle's pods ({@code k=v,k=v}); only a ready pod among them can lead. */
        @WithDefault("app.kubernetes.io/name=adm-connect")
        String podSelector();

        /** File: the lock directory all members share (default {@code <ADM_DATA_DIR>/leader}). */
        Optional<String> directory();
    }

    interface DataSet {
        /** Defaults to {@code adm.country}. */
        Optional<String> countryCode();

        Optional<String> description();

        Optional<Boolean> idRetention();

        List<SharingRule> sharingRules();
    }

    interface SharingRule {
        /** DSP_AUDIENCES, AMAZON_MARKETING_CLOUD or EVENTS_MANAGER (or another ADM application). */
        String application();

        String destinationAccountId();

        String marketplaceId();

        Optional<String> audienceName();

        Optional<String> audienceDescription();

        Optional<String> amcInstanceId();

        Optional<String> conversionDefinitionId();
    }
}
