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

    Batch batch();

    /** Data sets to provision at startup, by name, each with its sharing rules. */
    Map<String, DataSet> dataSets();

    interface Batch {
        @WithDefault("5000")
        int maxMembers();

        @WithDefault("5s")
        Duration maxWait();
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
