package io.admconnect.processor;

import java.util.Locale;
import java.util.Set;

import io.admconnect.adm.AdmMember;

/**
 * The consent rules of DESIGN.md: what counts as a signal, when a record becomes a removal, and how the
 * member's {@code userConsent} is shaped.
 *
 * <p>A signal is {@code userData} or {@code adStorage} GRANTED or DENIED, or a non-empty TCF or GPP string
 * ({@code UNKNOWN} and {@code NOT_APPLICABLE} are passed on but are not a signal). An upload needs a signal
 * everywhere (explicitly in the UK/EEA, where Amazon insists). {@code userData} DENIED means consent was
 * withdrawn: the member is removed, never created. Amazon ignores a removal that does not carry a GRANTED
 * Amazon consent signal, so every DELETE carries {@code amznUserData: GRANTED} as the authorization to
 * process the removal.
 */
public final class ConsentPolicy {

    public static final String GRANTED = "GRANTED";
    public static final String DENIED = "DENIED";
    public static final String NOT_APPLICABLE = "NOT_APPLICABLE";
    public static final String UNKNOWN = "UNKNOWN";

    /** UK and EEA: members there need an explicit consent signal (Amazon's rule). */
    public static final Set<String> UK_AND_EEA = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE",
            "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB");

    private ConsentPolicy() {
    }

    /**
     * A consent value as ADM spells it: GRANTED, DENIED, NOT_APPLICABLE or UNKNOWN, accepting
     * {@code true/false/yes/no} (and booleans) in any case; null when absent.
     *
     * @throws IllegalArgumentException when the value is none of those
     */
    public static String parse(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean bool) {
            return bool ? GRANTED : DENIED;
        }
        String text = value.toString().trim().toUpperCase(Locale.ROOT);
        return switch (text) {
            case "" -> null;
            case GRANTED, "TRUE", "YES", "Y", "1" -> GRANTED;
            case DENIED, "FALSE", "NO", "N", "0" -> DENIED;
            case NOT_APPLICABLE, UNKNOWN -> text;
            default -> throw new IllegalArgumentException("not a consent value");
        };
    }

    /** The consent a record declares, already parsed. */
    public record Declared(String adStorage, String userData, String tcf, String gpp) {

        public boolean hasSignal() {
            return isSignal(userData) || isSignal(adStorage) || !isBlank(tcf) || !isBlank(gpp);
        }

        /** Consent to use personal data for advertising was withdrawn. */
        public boolean isWithdrawn() {
            return DENIED.equals(userData);
        }

        private static boolean isSignal(String value) {
            return GRANTED.equals(value) || DENIED.equals(value);
        }
    }

    /** The member's {@code userConsent} for a CREATE or a DELETE. */
    public static AdmMember.UserConsent userConsent(Declared declared, String action, String countryCode, String ipAddress) {
        String userData = AdmMember.DELETE.equals(action) ? GRANTED : declared.userData();
        AdmMember.AmznConsent amzn = declared.adStorage() == null && userData == null
                ? null : new AdmMember.AmznConsent(declared.adStorage(), userData);
        AdmMember.Consent consent = amzn == null && isBlank(declared.tcf()) && isBlank(declared.gpp())
                ? null : new AdmMember.Consent(amzn, blankToNull(declared.tcf()), blankToNull(declared.gpp()));
        return new AdmMember.UserConsent(new AdmMember.Geo(countryCode, ipAddress), consent);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value.trim();
    }
}
