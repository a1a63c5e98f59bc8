package io.admconnect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentityFieldTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "email, em, EMAIL",
        "phone, ph, PHONE",
        "firstName, fn, FIRST_NAME",
        "lastName, ln, LAST_NAME",
        "address, ad, ADDRESS",
        "city, cty, CITY",
        "state, st, STATE",
        "postalCode, zip, POSTAL_CODE",
    })
    void mapsCanonicalNamesToAdmKeys(String canonicalName, String admKey, IdentityField field) {
        assertEquals(Optional.of(field), IdentityField.fromCanonicalName(canonicalName));
        assertEquals(canonicalName, field.canonicalName());
        assertEquals(admKey, field.admKey());
    }

    @Test
    void unknownNamesAreEmpty() {
        assertTrue(IdentityField.fromCanonicalName("postal").isEmpty());
        assertTrue(IdentityField.fromCanonicalName("EMAIL").isEmpty());
        assertTrue(IdentityField.fromCanonicalName(null).isEmpty());
    }
}
