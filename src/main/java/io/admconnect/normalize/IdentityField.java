package io.admconnect.normalize;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** An identity field of a CRM record: its canonical name and its key in the ADM hashed member. */
public enum IdentityField {
    EMAIL("email", "em"),
    PHONE("phone", "ph"),
    FIRST_NAME("firstName", "fn"),
    LAST_NAME("lastName", "ln"),
    ADDRESS("address", "ad"),
    CITY("city", "cty"),
    STATE("state", "st"),
    POSTAL_CODE("postalCode", "zip");

    private static final Map<String, IdentityField> BY_CANONICAL_NAME =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(IdentityField::canonicalName, Function.identity()));

    private final String canonicalName;
    private final String admKey;

    IdentityField(String canonicalName, String admKey) {
        this.canonicalName = canonicalName;
        this.admKey = admKey;
    }

    /** The field's name in the canonical record, e.g. {@code postalCode}. */
    public String canonicalName() {
        return canonicalName;
    }

    /** The field's key in an Amazon Ads Data Manager hashed member, e.g. {@code zip}. */
    public String admKey() {
        return admKey;
    }

    /** The field with this exact (case-sensitive) canonical name, if any. */
    public static Optional<IdentityField> fromCanonicalName(String canonicalName) {
        return Optional.ofNullable(canonicalName == null ? null : BY_CANONICAL_NAME.get(canonicalName));
    }
}
