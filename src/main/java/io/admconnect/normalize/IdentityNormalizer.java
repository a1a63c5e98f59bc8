package io.admconnect.normalize;

import java.util.Locale;
import java.util.Objects;

/**
 * Normalizes and hashes identity fields exactly as Amazon does (the "amazon" profile), so that our
 * SHA-256 hashes equal those of Amazon's own normalized data.
 *
 * <p>Immutable and thread-safe; build it once and share it. Input values are personal data: this class
 * never logs them and never puts them into exception messages.
 */
public final class IdentityNormalizer {

    /** Country whose rules apply when a record has none. */
    public static final String DEFAULT_COUNTRY = "US";

    private final StateNormalizer states;
    private final AddressNormalizer addresses;
    private final PhoneNormalizer phones;

    /** Loads the word and state-code tables shipped on the classpath under {@code /normalization}. */
    public IdentityNormalizer() {
        this.states = StateNormalizer.fromTable(ReferenceTables.read(ReferenceTables.STATE_CODES));
        this.addresses = new AddressNormalizer(
                AddressWords.fromTable(ReferenceTables.read(ReferenceTables.ADDRESS_WORDS)));
        this.phones = new PhoneNormalizer();
    }

    /** The shared instance with Amazon's shipped tables, loaded on first use. */
    public static IdentityNormalizer amazon() {
        return Shared.INSTANCE;
    }

    /**
     * The normalized form of {@code value}, or null when it must be omitted (null, empty after
     * normalization, or invalid for the field). Pre-hashed values are recognised by {@link #hash} only.
     *
     * @param countryCode ISO 3166 alpha-2 code of the record; null or blank means {@value #DEFAULT_COUNTRY}
     */
    public String normalize(IdentityField field, String value, String countryCode) {
        Objects.requireNonNull(field, "field");
        if (value == null) {
            return null;
        }
        String country = country(countryCode);
        return switch (field) {
            case EMAIL -> EmailNormalizer.normalize(value);
            case PHONE -> phones.normalize(value, country);
            case FIRST_NAME, LAST_NAME -> NameNormalizer.personName(value);
            case CITY -> NameNormalizer.city(value);
            case STATE -> states.normalize(value, country);
            case POSTAL_CODE -> PostalCodeNormalizer.normalize(value, country);
            case ADDRESS -> addresses.normalize(value, country);
        };
    }

    /**
     * Lowercase hex SHA-256 of the UTF-8 normalized value, or null when the value must be omitted.
     * A value that already is a SHA-256 hex digest (64 hex characters once trimmed) is passed through
     * lowercased, never hashed twice.
     */
    public String hash(IdentityField field, String value, String countryCode) {
        Objects.requireNonNull(field, "field");
        if (value == null) {
            return null;
        }
        String preHashed = Sha256.preHashed(value);
        if (preHashed != null) {
            return preHashed;
        }
        String normalized = normalize(field, value, countryCode);
        return normalized == null ? null : Sha256.hex(normalized);
    }

    private static String country(String countryCode) {
        if (countryCode == null || countryCode.isBlank()) {
            return DEFAULT_COUNTRY;
        }
        if (isUpperAsciiPair(countryCode)) {
            return countryCode;
        }
        return countryCode.strip().toUpperCase(Locale.ROOT);
    }

    private static boolean isUpperAsciiPair(String code) {
        return code.length() == 2
                && code.charAt(0) >= 'A' && code.charAt(0) <= 'Z'
                && code.charAt(1) >= 'A' && code.charAt(1) <= 'Z';
    }

    private static final class Shared {
        static final IdentityNormalizer INSTANCE = new IdentityNormalizer();
    }
}
