package io.admconnect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples of normalization.md, field by field. CSV columns are separated by '|'. */
class IdentityNormalizerTest {

    private static final IdentityNormalizer NORMALIZER = IdentityNormalizer.amazon();

    private static String normalize(IdentityField field, String value, String country) {
        return NORMALIZER.normalize(field, value, country);
    }

    @Nested
    class Email {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "a.b+x@y.com                 | a.bx@y.com",
            "'  ALEXZ@Example.COM  '     | alexz@example.com",
            "first_last-1@sub.example.de | first_last-1@sub.example.de",
            "Jörg.Müller@Example.de      | jörg.müller@example.de",
            "'a b@c d.com'               | ab@cd.com",
            "a@b@c                       | a@b@c",
            // a combining mark is not a word character: deleted, not folded
            "'e\u0301@x.com'             | e@x.com",
        })
        void keepsWordCharactersDotsAtAndDash(String input, String expected) {
            assertEquals(expected, normalize(IdentityField.EMAIL, input, "US"));
        }

        @ParameterizedTest(name = "{0} is omitted")
        @ValueSource(strings = {"@y.com", "+@y.com", "a@@y.com", "a@", "a@+", "no-at-sign", "+++"})
        void omitsWithoutSomethingOnBothSidesOfTheFirstAt(String input) {
            assertNull(normalize(IdentityField.EMAIL, input, "US"));
        }
    }

    @Nested
    class PersonName {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "Müller       | mueller",
            "José         | jos",
            // decomposed ü (u + U+0308): the combining mark is deleted
            "'Mu\u0308ller' | muller",
            "Strauß       | strauss",
            "GROẞ         | gross",
            "Ærø          | aero",
            "Östlund      | oestlund",
            "Jäger        | jaeger",
            "O'Day        | oday",
            "Barbara-anne | barbaraanne",
            "'  Faulkner ' | faulkner",
            "Anne 2       | anne2",
        })
        void lowercasesTransliteratesAndKeepsAsciiAlphanumerics(String input, String expected) {
            assertEquals(expected, normalize(IdentityField.FIRST_NAME, input, "DE"));
            assertEquals(expected, normalize(IdentityField.LAST_NAME, input, "DE"));
        }

        @Test
        void omitsNamesWithoutAsciiLetters() {
            assertNull(normalize(IdentityField.FIRST_NAME, "李", "US"));
            assertNull(normalize(IdentityField.LAST_NAME, "-'", "US"));
        }
    }

    @Nested
    class City {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "München           | mnchen",
            "Los Angeles       | losangeles",
            "Frankfurt am Main | frankfurtammain",
            "' Düsseldorf '    | dsseldorf",
        })
        void keepsAsciiAlphanumericsWithoutTransliteration(String input, String expected) {
            assertEquals(expected, normalize(IdentityField.CITY, input, "DE"));
        }
    }

    @Nested
    class State {

        @ParameterizedTest(name = "{1} {0} -> {2}")
        @CsvSource(delimiter = '|', value = {
            "Texas               | US | tx",
            "texas               | US | tx",
            "New York            | US | ny",
            "N.Y.                | US | ny",
            "fl                  | US | fl",
            "Alberta             | CA | ab",
            // accent deleted, QUBEC is no key, so the first two letters
            "Québec              | CA | qu",
            "Quebec              | CA | qc",
            "Bavaria             | DE | by",
            "North Rhine-Westphalia | DE | nw",
            "Nordrhein-Westfalen | DE | no",
            "Berlin              | DE | be",
            "B                   | ES | b",
            "Barcelona           | ES | b",
            "Greater London      | GB | gr",
            // original length counts characters of the raw value: 2 here, so all letters stay
            "ßß                  | DE | ssss",
        })
        void mapsNamesToCodesOrKeepsTwoLetters(String input, String country, String expected) {
            assertEquals(expected, normalize(IdentityField.STATE, input, country));
        }

        @Test
        void measuresTheUntrimmedOriginal() {
            assertEquals("xy", normalize(IdentityField.STATE, " XYZ", "US"));
            assertEquals("x", normalize(IdentityField.STATE, " X", "US"));
        }

        @ParameterizedTest(name = "{0} is omitted")
        @ValueSource(strings = {"12", "..", "É"})
        void omitsStatesWithoutAsciiLetters(String input) {
            assertNull(normalize(IdentityField.STATE, input, "US"));
        }

        @Test
        void nullCountryMeansUs() {
            assertEquals("tx", normalize(IdentityField.STATE, "Texas", null));
        }
    }

    @Nested
    class PostalCode {

        @ParameterizedTest(name = "{1} {0} -> {2}")
        @CsvSource(delimiter = '|', value = {
            "75236-9599      | US | 75236",
            "90002           | US | 90002",
            "75008 CEDEX 08  | FR | 75008",
            "12307           | DE | 12307",
            "D-80331         | DE | 80331",
            "28001           | ES | 28001",
            "00118           | IT | 00118",
            "H0H 0H0         | CA | H0H0H0",
            "h0h 0h0         | CA | h0h0h0",
            "K1A 0B1 extra   | CA | K1A0B1",
            "AA1A1AA         | GB | AA1A1AA",
            "SW1A 1AA        | GB | SW1A1AA",
            "sw1a 1aa        | GB | sw1a1aa",
            "M1 1AE          | GB | M11AE",
            "B33 8TH         | GB | B338TH",
            "110 001         | IN | 110001",
            // digits of any script are kept as written
            "११० ००१         | IN | ११०००१",
            "100-0001        | JP | 1000001",
        })
        void keepsCutsAndChecksShapePerCountry(String input, String country, String expected) {
            assertEquals(expected, normalize(IdentityField.POSTAL_CODE, input, country));
        }

        @ParameterizedTest(name = "{1} {0} is omitted")
        @CsvSource(delimiter = '|', value = {
            "1234       | US",
            "test       | US",
            "ABCDE      | DE",
            "1011 AB    | NL",
            "12345      | CA",
            "H0H 0H     | CA",
            "12345      | GB",
            "SW1A       | GB",
            "11001      | IN",
            "100-001    | JP",
        })
        void omitsCodesOfTheWrongShape(String input, String country) {
            assertNull(normalize(IdentityField.POSTAL_CODE, input, country));
        }
    }

    @Nested
    class Phone {

        @ParameterizedTest(name = "{1} {0} -> {2}")
        @CsvSource(delimiter = '|', value = {
            "571-412-0599         | US | 15714120599",
            "5714120599           | US | 15714120599",
            "+1 (413) 871-4499    | US | 14138714499",
            // invalid (exchange 164) but plausible for the record's country; NANP's 1 is the trunk prefix
            "+1 (405) 164-9334    | US | 14051649334",
            "1 (405) 164-9334     | US | 14051649334",
            "011 49 30 1234567    | US | 49301234567",
            "030 1234567          | DE | 49301234567",
            "0049 30 1234567      | DE | 49301234567",
            // the digits begin with the calling code 49
            "499-793-6041         | DE | 4997936041",
            "+62 21 5795 2000     | DE | 622157952000",
            "(035) 1234 5678      | GB | 443512345678",
            // a CA record keeps numbers valid anywhere in NANP
            "650 253 0000         | CA | 16502530000",
        })
        void formatsAsE164WithoutPlus(String input, String country, String expected) {
            assertEquals(expected, normalize(IdentityField.PHONE, input, country));
        }

        @ParameterizedTest(name = "{1} {0} is omitted")
        @CsvSource(delimiter = '|', value = {
            // invalid under +44, which several regions share: no region, nothing kept
            "+44 35 1234 5678     | GB",
            "44 35 1234 5678      | GB",
            "() 9999568           | US",
            "no digits            | US",
            "+                    | DE",
            "12                   | DE",
        })
        void omitsImplausibleNumbers(String input, String country) {
            assertNull(normalize(IdentityField.PHONE, input, country));
        }
    }

    @Nested
    class Address {

        @ParameterizedTest(name = "{1} {0} -> {2}")
        @CsvSource(delimiter = '|', value = {
            "8 Bluestem Terrace        | US | 8bluestemter",
            "744 Messerschmidt Avenue  | US | 744messerschmidtave",
            "4 Cody Junction           | US | 4codyjct",
            "'123 Main St, Apt #4'     | US | 123mainstaptnumber4",
            "7914 CORSCOT STREET       | GB | 7914corscotst",
            "Hauptstraße 5             | DE | hauptstrasse5",
            // the last table in the country's order wins
            "12 Avenue Foch            | FR | 12avefoch",
            "Plaza Mayor 1             | ES | plazamayor1",
            "Plaza Mayor 1             | US | plzmayor1",
            // a replacement is not looked up again
            "Meadow                    | US | mdw",
            "Place                     | ES | pl",
            // number indicators and directionals apply in every country
            "North Street No 5         | NL | nstreetnumber5",
            "'5 N. Main St., Apt. 4!'  | US | 5nmainstapt4",
            "'C/O Jane (Rear) [B] {2}' | US | janerearb2",
            "ABC/O Way                 | US | abc/oway",
            "'  Été  très chaud  '     | FR | ététrèschaud",
            "12#4                      | US | number4",
            "A#1#B                     | US | anumbernumberb",
            "1-A 2-B                   | US | 1a2-b",
            "123-B                     | US | 123b",
            "12-34 A-1                 | US | 12-34a-1",
        })
        void tokenizesAbbreviatesAndJoins(String input, String country, String expected) {
            assertEquals(expected, normalize(IdentityField.ADDRESS, input, country));
        }

        @Test
        void splitsAtEveryDelimiterKindAndKeepsOtherCharacters() {
            assertEquals(List.of("5", "MAIN", "ST", "APT", "#4", "O'NEIL", "1/2", "B-3"),
                    AddressNormalizer.tokenize("5\u00A0MAIN\tST,APT #4 (O'NEIL) 1/2 C/O B-3"));
        }

        @Test
        void dashRuleSplitsNumberFromNonNumberAndSkipsShiftedTokens() {
            assertEquals(List.of("123", "B"), afterDashRule("123-B"));
            assertEquals(List.of("12-34"), afterDashRule("12-34"));
            assertEquals(List.of("A-1"), afterDashRule("A-1"));
            assertEquals(List.of("-1A"), afterDashRule("-1A"));
            assertEquals(List.of("1A-"), afterDashRule("1A-"));
            assertEquals(List.of("1", "A", "2-B"), afterDashRule("1-A", "2-B"));
        }

        @Test
        void poundRuleKeepsTheReferenceEdgeBehaviour() {
            assertEquals(List.of("APT", "#", "4"), afterPoundRule("APT#4"));
            assertEquals(List.of("#", "4"), afterPoundRule("12#4"));
            assertEquals(List.of("A", "#", "#", "B"), afterPoundRule("A#1#B"));
            assertEquals(List.of("#"), afterPoundRule("#"));
            assertEquals(List.of("APT", "#"), afterPoundRule("APT#"));
            assertEquals(List.of("#", "4-B/2"), afterPoundRule("#4-B/2"));
            assertEquals(List.of("A", "#", "1", "B#2"), afterPoundRule("A#1", "B#2"));
        }

        @ParameterizedTest(name = "''{0}'' is omitted")
        @ValueSource(strings = {", . !", "()", "C/O"})
        void omitsAddressesWithoutTokens(String input) {
            assertNull(normalize(IdentityField.ADDRESS, input, "US"));
        }

        private List<String> afterDashRule(String... tokens) {
            List<String> list = new ArrayList<>(List.of(tokens));
            AddressNormalizer.applyDashRule(list);
            return list;
        }

        private List<String> afterPoundRule(String... tokens) {
            List<String> list = new ArrayList<>(List.of(tokens));
            AddressNormalizer.applyPoundRule(list);
            return list;
        }
    }

    @Nested
    class Hashing {

        @Test
        void hashesTheUtf8NormalizedValue() throws Exception {
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("mueller".getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, NORMALIZER.hash(IdentityField.LAST_NAME, "Müller", "DE"));
            assertEquals("9eceb13483d7f187ec014fd6d4854d1420cfc634328af85f51d0323ba8622e21",
                    NORMALIZER.hash(IdentityField.EMAIL, "abc@example.com", "US"));
        }

        @ParameterizedTest
        @EnumSource(IdentityField.class)
        void passesPreHashedValuesThroughLowercased(IdentityField field) {
            String upper = "9ECEB13483D7F187EC014FD6D4854D1420CFC634328AF85F51D0323BA8622E21";
            assertEquals(upper.toLowerCase(Locale.ROOT), NORMALIZER.hash(field, " " + upper + "\n", "DE"));
        }

        @Test
        void hashesSixtyThreeHexCharactersLikeAnyOtherValue() {
            String notAHash = "9eceb13483d7f187ec014fd6d4854d1420cfc634328af85f51d0323ba8622e2";
            assertEquals(Sha256.hex(notAHash), NORMALIZER.hash(IdentityField.CITY, notAHash, "US"));
        }

        @ParameterizedTest
        @EnumSource(IdentityField.class)
        void omitsNullEmptyAndBlankValues(IdentityField field) {
            for (String blank : new String[] {null, "", "   ", "\t\u00A0\n"}) {
                assertNull(NORMALIZER.normalize(field, blank, "US"), field + " normalize");
                assertNull(NORMALIZER.hash(field, blank, "US"), field + " hash");
            }
        }

        @Test
        void rejectsAMissingField() {
            assertThrows(NullPointerException.class, () -> NORMALIZER.hash(null, "x", "US"));
        }
    }
}
