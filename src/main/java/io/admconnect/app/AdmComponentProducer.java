package io.admconnect.app;

import java.util.ArrayList;
import java.util.List;

import io.admconnect.adm.AdmComponent;
import io.admconnect.adm.AdmConfiguration;
import io.admconnect.sandbox.SandboxHttp;
import io.admconnect.sandbox.SandboxSettings;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes the {@code adm} component of the Camel context from {@link AdmSettings}: Amazon's region hosts and
 * the LWA credentials, or, with {@code ADM_SANDBOX=true}, the embedded sandbox and its credentials.
 */
@ApplicationScoped
public class AdmComponentProducer {

    @Produces
    @Singleton
    @Named("adm")
    AdmComponent adm(AdmSettings settings, SandboxSettings sandbox) {
        AdmComponent component = new AdmComponent();
        AdmConfiguration configuration = component.getConfiguration();
        configuration.setRegion(settings.region());
        configuration.setCountryCode(settings.country());
        if (settings.sandbox()) {
            String root = "http://127.0.0.1:" + httpPort() + SandboxHttp.ROOT;
            configuration.setApiUrl(settings.apiUrl().orElse(root));
            configuration.setAuthUrl(settings.authUrl().orElse(root + "/auth/o2/token"));
            configuration.setClientId(settings.clientId().orElse(sandbox.clientId()));
            configuration.setClientSecret(settings.clientSecret().orElse(sandbox.clientSecret()));
            configuration.setRefreshToken(settings.refreshToken().orElse(sandbox.refreshToken()));
            if (settings.managerAccountId().isEmpty() && settings.advertiserAccountId().isEmpty()) {
                configuration.setManagerAccountId("sandbox-manager-account");
            }
        } else {
            settings.apiUrl().ifPresent(configuration::setApiUrl);
            settings.authUrl().ifPresent(configuration::setAuthUrl);
            settings.clientId().ifPresent(configuration::setClientId);
            settings.clientSecret().ifPresent(configuration::setClientSecret);
            settings.refreshToken().ifPresent(configuration::setRefreshToken);
        }
        settings.managerAccountId().ifPresent(configuration::setManagerAccountId);
        settings.advertiserAccountId().ifPresent(configuration::setAdvertiserAccountId);
        return component;
    }

    /** What is missing for talking to Amazon, as environment variable names; empty when complete. */
    static List<String> missingCredentials(AdmSettings settings) {
        List<String> missing = new ArrayList<>();
        if (settings.sandbox()) {
            return missing;
        }
        if (settings.clientId().isEmpty()) {
            missing.add("ADM_CLIENT_ID");
        }
        if (settings.clientSecret().isEmpty()) {
            missing.add("ADM_CLIENT_SECRET");
        }
        if (settings.refreshToken().isEmpty()) {
            missing.add("ADM_REFRESH_TOKEN");
        }
        if (settings.managerAccountId().isEmpty() && settings.advertiserAccountId().isEmpty()) {
            missing.add("ADM_MANAGER_ACCOUNT_ID (or ADM_ADVERTISER_ACCOUNT_ID)");
        }
        return missing;
    }

    /** The port this process serves HTTP on, where the embedded sandbox lives. */
    private static int httpPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class)
                .orElse(LaunchMode.current() == LaunchMode.TEST ? 8081 : 8080);
    }
}
