package io.admconnect.processor;

import java.util.Locale;

/**
 * Why a record did not become a member: a machine-readable word (the enum name in lower case) that
 * responses, dead letters and metric labels carry. It never contains the offending value.
 */
public enum RejectionReason {
    MISSING_EXTERNAL_USER_ID,
    INVALID_EXTERNAL_USER_ID,
    INVALID_ACTION,
    INVALID_COUNTRY_CODE,
    INVALID_CONSENT,
    INVALID_FIELD_TYPE,
    NO_IDENTITY,
    NO_CONSENT,
    INVALID_EMAIL,
    INVALID_PHONE,
    INVALID_FIRST_NAME,
    INVALID_LAST_NAME,
    INVALID_ADDRESS,
    INVALID_CITY,
    INVALID_STATE,
    INVALID_POSTAL_CODE,
    /** A row or line of a source file that could not be parsed at all. */
    MALFORMED_RECORD,
    /** A row or line of a source file longer than a record may be (1,000,000 characters); skipped unread. */
    RECORD_TOO_LARGE;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The reason as it appears on the wire and in metrics, e.g. {@code no_consent}. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
