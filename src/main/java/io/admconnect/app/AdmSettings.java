package io.admconnect.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.admconnect.adm.AdmRegion;
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

        /** How often the batcher looks for complete batches. */
        @WithDefault("200ms")
        Duration pollInterval();
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
