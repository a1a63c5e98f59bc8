package io.admconnect.adm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One audience member as ADM takes it ({@code AudienceMember} in Amazon's OpenAPI file). Identity values
 * are SHA-256 hashes: this type never holds plaintext PII.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdmMember(String action, String externalUserId, UserIdentity userIdentity, UserConsent userConsent) {

    public static final String CREATE = "CREATE";
    public static final String DELETE = "DELETE";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserIdentity(List<HashedPii> hashedPiis) {
    }

    /** Lowercase hex SHA-256 of each normalized identity value; absent values are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HashedPii(String em, String ph, String fn, String ln, String ad, String cty, String st, String zip) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserConsent(Geo geo, Consent consent) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Geo(String countryCode, String ipAddress) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Consent(AmznConsent amzn, String tcf, String gpp) {
    }

    /** Values are GRANTED, DENIED, NOT_APPLICABLE or UNKNOWN. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AmznConsent(String amznAdStorage, String amznUserData) {
    }
}
