package io.admconnect.sandbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the embedded ADM sandbox ({@code sandbox.*}); served when {@code adm.sandbox=true}. */
@ConfigMapping(prefix = "sandbox")
public interface SandboxSettings {

    /** The LWA client the sandbox accepts. */
    @WithDefault("sandbox-client")
    String clientId();

    @WithDefault("sandbox-secret")
    String clientSecret();

    @WithDefault("Atzr|sandbox-refresh-token")
    String refreshToken();

    /** Lifetime of the access tokens it issues (Amazon: one hour). */
    @WithDefault("3600s")
    Duration tokenTtl();

    /** Whether the account has accepted the ADM terms. */
    @WithDefault("true")
    boolean termsAccepted();

    /** Whether the data room exists before the first POST /adm/datarooms. */
    @WithDefault("false")
    boolean dataRoomExists();

    /** Check every request against Amazon's OpenAPI file. */
    @WithDefault("true")
    boolean validateRequests();

    /** Keep each accepted member's JSON for inspection (counts are always kept). */
    @WithDefault("true")
    boolean retainMembers();
}
