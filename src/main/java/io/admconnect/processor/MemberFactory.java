package io.admconnect.processor;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.admconnect.adm.AdmMember;
import io.admconnect.normalize.IdentityField;
import io.admconnect.normalize.IdentityNormalizer;

/**
 * normalize-hash-consent for one canonical record (DESIGN.md): validates it, normalizes and hashes its
 * identity fields, applies the {@link ConsentPolicy}, and returns an ADM member or a rejection. The record
 * is a map of canonical field names; consent is either a nested {@code consent} map or dotted keys
 * ({@code consent.userData}). Plaintext stops here: the member holds hashes only, and a rejection holds
 * only its reason.
 */
public final class MemberFactory {

    private static final Pattern EXTERNAL_USER_ID = Pattern.compile("^[0-9a-zA-Z_-]{1,128}$");
    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final IdentityNormalizer normalizer;

    public MemberFactory(IdentityNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /**
     * @param record         canonical field name -> value
     * @param defaultCountry the data set's country, used when the record names none
     */
    public RecordOutcome toMember(Map<String, ?> record, String defaultCountry) {
        try {
            return build(record, defaultCountry);
        } catch (InvalidRecord e) {
            return new RecordOutcome.Rejected(e.reason);
        }
    }

    private RecordOutcome build(Map<String, ?> record, String defaultCountry) {
        String externalUserId = text(record, "externalUserId");
        if (externalUserId == null) {
            throw new InvalidRecord(RejectionReason.MISSING_EXTERNAL_USER_ID);
        }
        if (!EXTERNAL_USER_ID.matcher(externalUserId).matches()) {
            throw new InvalidRecord(RejectionReason.INVALID_EXTERNAL_USER_ID);
        }
        boolean removal = isRemoval(text(record, "action"));
        String country = country(text(record, "countryCode"), defaultCountry);
        ConsentPolicy.Declared consent = consent(record);

        AdmMember.HashedPii identity = hashIdentity(record, country);
        if (!removal && !consent.hasSignal()) {
            throw new InvalidRecord(RejectionReason.NO_CONSENT);
        }
        String action = removal || consent.isWithdrawn() ? AdmMember.DELETE : AdmMember.CREATE;
        AdmMember member = new AdmMember(action, externalUserId, new AdmMember.UserIdentity(java.util.List.of(identity)),
                ConsentPolicy.userConsent(consent, action, country, ipAddress(text(record, "ipAddress"))));
        return new RecordOutcome.Member(member);
    }

    /** Hashes every identity field; at least one must survive (ADM needs an identity, removals too). */
    private AdmMember.HashedPii hashIdentity(Map<String, ?> record, String country) {
        String[] hashes = new String[IdentityField.values().length];
        RejectionReason firstInvalid = null;
        boolean any = false;
        for (IdentityField field : IdentityField.values()) {
            String value = text(record, field.canonicalName());
            if (value == null) {
                continue;
            }
            String hash = normalizer.hash(field, value, country);
            if (hash == null) {
                firstInvalid = firstInvalid == null ? invalid(field) : firstInvalid;
                continue;
            }
            hashes[field.ordinal()] = hash;
            any = true;
        }
        if (!any) {
            throw new InvalidRecord(firstInvalid != null ? firstInvalid : RejectionReason.NO_IDENTITY);
        }
        return new AdmMember.HashedPii(hashes[IdentityField.EMAIL.ordinal()], hashes[IdentityField.PHONE.ordinal()],
                hashes[IdentityField.FIRST_NAME.ordinal()], hashes[IdentityField.LAST_NAME.ordinal()],
                hashes[IdentityField.ADDRESS.ordinal()], hashes[IdentityField.CITY.ordinal()],
                hashes[IdentityField.STATE.ordinal()], hashes[IdentityField.POSTAL_CODE.ordinal()]);
    }

    private static RejectionReason invalid(IdentityField field) {
        return switch (field) {
            case EMAIL -> RejectionReason.INVALID_EMAIL;
            case PHONE -> RejectionReason.INVALID_PHONE;
            case FIRST_NAME -> RejectionReason.INVALID_FIRST_NAME;
            case LAST_NAME -> RejectionReason.INVALID_LAST_NAME;
            case ADDRESS -> RejectionReason.INVALID_ADDRESS;
            case CITY -> RejectionReason.INVALID_CITY;
            case STATE -> RejectionReason.INVALID_STATE;
            case POSTAL_CODE -> RejectionReason.INVALID_POSTAL_CODE;
        };
    }

    private static boolean isRemoval(String action) {
        if (action == null || action.equalsIgnoreCase("add")) {
            return false;
        }
        if (action.equalsIgnoreCase("remove")) {
            return true;
        }
        throw new InvalidRecord(RejectionReason.INVALID_ACTION);
    }

    private static String country(String declared, String defaultCountry) {
        if (declared == null) {
            return defaultCountry == null ? IdentityNormalizer.DEFAULT_COUNTRY : defaultCountry.toUpperCase(Locale.ROOT);
        }
        String country = declared.toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(country)) {
            throw new InvalidRecord(RejectionReason.INVALID_COUNTRY_CODE);
        }
        return country;
    }

    private static ConsentPolicy.Declared consent(Map<String, ?> record) {
        Object nested = record.get("consent");
        Map<?, ?> consent = nested instanceof Map<?, ?> map ? map : Map.of();
        try {
            return new ConsentPolicy.Declared(
                    ConsentPolicy.parse(consentValue(record, consent, "adStorage")),
                    ConsentPolicy.parse(consentValue(record, consent, "userData")),
                    asText(consentValue(record, consent, "tcf")),
                    asText(consentValue(record, consent, "gpp")));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecord(RejectionReason.INVALID_CONSENT);
        }
    }

    private static Object consentValue(Map<String, ?> record, Map<?, ?> nested, String name) {
        Object value = nested.get(name);
        return value != null ? value : record.get("consent." + name);
    }

    /** Only a literal IP address is passed on (no host names: resolving them would leak and block). */
    private static String ipAddress(String value) {
        if (value == null) {
            return null;
        }
        return IPV4.matcher(value).matches() || (value.indexOf(':') >= 0 && IPV6.matcher(value).matches()) ? value : null;
    }

    private static String text(Map<String, ?> record, String field) {
        return asText(record.get(field));
    }

    private static String asText(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> || value instanceof Iterable<?> || value.getClass().isArray()) {
            throw new InvalidRecord(RejectionReason.INVALID_FIELD_TYPE);
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    /** A record that cannot become a member; carries the reason only, never the value. */
    private static final class InvalidRecord extends RuntimeException {
        private final RejectionReason reason;

        InvalidRecord(RejectionReason reason) {
            super(reason.code(), null, false, false);
            this.reason = reason;
        }
    }
}
