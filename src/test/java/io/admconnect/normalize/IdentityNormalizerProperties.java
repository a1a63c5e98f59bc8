package io.admconnect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.web.api.Web;

/**
 * Fuzzing the normalizer (jqwik; tries per property: {@code -Dfuzz.tries}, see RELIABILITY.md): whatever the
 * value and country, a field hashes to lowercase hex SHA-256 or is omitted, never an exception; and a
 * normalized value normalizes to itself. What the rules (spec/normalization.md) exempt, as the fuzzer found:
 * an address, whose tokens are joined without a separator and so form other tokens when read again
 * ({@code 0# 0} -> {@code 0#0} -> {@code number0}); and a phone kept only as plausible, which in its
 * international form is judged by its calling code's region, and dropped when that code is shared (AU
 * {@code 10004} -> {@code 6110004}, but {@code +6110004} is omitted): valid numbers must come back; and a
 * state of two characters whose capitals are longer, which keeps all its letters ({@code aß} -> {@code ass})
 * while a longer value is cut to two ({@code ass} -> {@code as}).
 */
class IdentityNormalizerProperties {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final IdentityNormalizer NORMALIZER = IdentityNormalizer.amazon();

    @Property
    void everyValueHashesToHexSha256OrIsOmitted(@ForAll IdentityField field, @ForAll("values") String value,
            @ForAll("countries") String country) {
        String hash = NORMALIZER.hash(field, value, country);
        assertTrue(hash == null || SHA256_HEX.matcher(hash).matches(), () -> "not hex SHA-256: " + hash);
        String normalized = NORMALIZER.normalize(field, value, country);
        assertTrue(normalized == null || !normalized.isEmpty(), "an empty normalized value is omitted, never hashed");
    }

    @Property
    void aNormalizedValueNormalizesToItself(@ForAll IdentityField field, @ForAll("values") String value,
            @ForAll("countries") String country) {
        String normalized = field == IdentityField.ADDRESS ? null : NORMALIZER.normalize(field, value, country);
        if (normalized == null || (field == IdentityField.PHONE && !isValidE164(normalized))
                || (field == IdentityField.STATE && normalized.length() > 2)) {
            return;
        }
        // A phone comes out as E.164 digits without '+': read back, they are international again.
        String again = field == IdentityField.PHONE ? "+" + normalized : normalized;
        assertEquals(normalized, NORMALIZER.normalize(field, again, country), () -> field + " of " + country);
    }

    private static boolean isValidE164(String digits) {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        try {
            return phones.isValidNumber(phones.parse("+" + digits, null));
        } catch (NumberParseException e) {
            return false;
        }
    }

    /** Identity-like values (emails, phones, names, addresses, postal codes), mutated, and any text. */
    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> phones = Arbitraries.strings().withChars("0123456789 +-().#*x/").ofMinLength(1).ofMaxLength(24);
        Arbitrary<String> words = Arbitraries.strings().withChars("abcxyzABCXYZßäöüøæéñİı0123456789 -'#/.,").ofMaxLength(40);
        Arbitrary<String> addresses = Combinators.combine(Arbitraries.integers().between(1, 99999),
                Arbitraries.of("Main", "Hauptstraße", "Rue de la Paix", "Calle Mayor", "Elm"),
                Arbitraries.of("Street", "St.", "Ave", "Avenue", "Road", "Plaza", "Terrace", ""),
                Arbitraries.of("", ", Apt #4", " C/O Smith", " 12-B", " N", " Unit 5A", " #", " A#1#B"))
                .as((number, name, suffix, unit) -> number + " " + name + " " + suffix + unit);
        Arbitrary<String> postalCodes = Arbitraries.strings().withChars("0123456789ABCDEFGHJKLMNPRSTUVWXYZ -٣").ofMaxLength(12);
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(80);
        return Arbitraries.oneOf(Web.emails(), phones, words, addresses, postalCodes, anyText,
                Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(64));
    }

    @Provide
    Arbitrary<String> countries() {
        return Arbitraries.of("US", "CA", "GB", "DE", "FR", "ES", "IT", "JP", "IN", "AU", "BR", "us", " de ", "ZZ", "", "001", "X");
    }
}
