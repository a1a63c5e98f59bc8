package io.admconnect.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mapping language: syntax and its errors, alternatives, constants, functions, paths, the shipped mappings. */
class FieldMappingTest {

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    // ------------------------------------------------------------------------------------------ syntax

    @Test
    void semicolonsSeparateEntriesAsNewlinesDo() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: vid; email: properties.email.value; countryCode: 'U;S'");

        assertEquals(map("externalUserId", 42, "email", "a@example.com", "countryCode", "U;S"),
                mapping.apply(map("vid", 42, "properties", map("email", map("value", "a@example.com")))));
    }

    @Test
    void commentsAndBlankLinesAreIgnoredAndEveryLineMapsOneField() {
        FieldMapping mapping = FieldMapping.parse("""

                # Contacts export of the EU shop
                externalUserId: Id      # the CRM id
                   email :   Email

                """);
        assertEquals(List.of("externalUserId", "email"), List.copyOf(mapping.canonicalFields()));
        assertEquals(map("externalUserId", "003A", "email", "a@example.com"),
                mapping.apply(map("Id", "003A", "Email", "a@example.com", "Other", "x")));
    }

    @Test
    void theExampleOfThePartnerGuideParses() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: Id
                email: Email
                phone: Phone | MobilePhone          # first non-empty of several native fields
                firstName: firstWord(FullName)       # transforms for splitting a full name
                lastName: lastWords(FullName)
                countryCode: MailingCountryCode | 'US'   # quoted text is a constant
                consent.userData: Ads_Consent__c
                """);
        assertEquals(map("externalUserId", "003A", "email", "a@example.com", "phone", "+1 555 0100",
                        "firstName", "Mary", "lastName", "Ann Smith", "countryCode", "US", "consent.userData", true),
                mapping.apply(map("Id", "003A", "Email", "a@example.com", "MobilePhone", "+1 555 0100",
                        "FullName", "Mary Ann Smith", "Ads_Consent__c", true)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '~', quoteCharacter = 0, textBlock = """
            unknown canonical field   ~ externalUserId: Id\\n\\n# c\\nmail: Email                ~ field mapping line 4: unknown canonical field 'mail'; known: externalUserId, email, phone, firstName, lastName, address, city, state, postalCode, countryCode, ipAddress, action, consent.adStorage, consent.userData, consent.tcf, consent.gpp in "mail: Email"
            wrong case hint           ~ externalUserId: Id\\nEmail: Email                            ~ field mapping line 2: unknown canonical field 'Email' (did you mean 'email'?); known: externalUserId, email, phone, firstName, lastName, address, city, state, postalCode, countryCode, ipAddress, action, consent.adStorage, consent.userData, consent.tcf, consent.gpp in "Email: Email"
            no colon                  ~ externalUserId: Id\\nemail Email                             ~ field mapping line 2: expected 'canonicalField: expression' in "email Email"
            nothing mapped            ~ externalUserId: Id\\nemail:   # later                        ~ field mapping line 2: nothing is mapped to 'email' in "email:   # later"
            unknown function          ~ externalUserId: Id\\nemail: lowr(Email)                      ~ field mapping line 2: unknown function 'lowr'; known: firstWord, lastWords, lower, upper, trim in "email: lowr(Email)"
            function case hint        ~ externalUserId: Id\\nfirstName: firstword(Name)              ~ field mapping line 2: unknown function 'firstword' (did you mean 'firstWord'?); known: firstWord, lastWords, lower, upper, trim in "firstName: firstword(Name)"
            missing parenthesis       ~ externalUserId: Id\\nemail: lower(Email                      ~ field mapping line 2: missing ')' after the argument of lower(...) in "email: lower(Email"
            unterminated constant     ~ externalUserId: Id\\ncountryCode: Country | 'US             ~ field mapping line 2: unterminated constant: missing closing ' in "countryCode: Country | 'US"
            empty alternative         ~ externalUserId: Id\\nphone: Phone |                          ~ field mapping line 2: empty alternative at column 15 in "phone: Phone |"
            empty alternative between ~ externalUserId: Id\\nphone: Phone || Mobile                  ~ field mapping line 2: empty alternative at column 15 in "phone: Phone || Mobile"
            missing pipe              ~ externalUserId: Id\\nphone: Phone MobilePhone                ~ field mapping line 2: unexpected 'M' at column 14 (separate alternatives with '|') in "phone: Phone MobilePhone"
            bad character             ~ externalUserId: Id\\nphone: +Phone                           ~ field mapping line 2: unexpected '+' at column 8 (expected a field name, a 'constant' or a function(...)) in "phone: +Phone"
            empty path segment        ~ externalUserId: Id\\nemail: properties..email               ~ field mapping line 2: empty segment in the field path 'properties..email' in "email: properties..email"
            empty constant            ~ externalUserId: Id\\ncountryCode: Country | ''              ~ field mapping line 2: empty constant at column 24 (it could never supply a value) in "countryCode: Country | ''"
            mapped twice              ~ externalUserId: Id\\nemail: Email\\nemail: Email2            ~ field mapping line 3: 'email' is already mapped on line 2 (combine the alternatives with '|') in "email: Email2"
            nested consent object     ~ externalUserId: Id\\nconsent: Consent                        ~ field mapping line 2: unknown canonical field 'consent' (map consent.userData, consent.adStorage, consent.tcf or consent.gpp); known: externalUserId, email, phone, firstName, lastName, address, city, state, postalCode, countryCode, ipAddress, action, consent.adStorage, consent.userData, consent.tcf, consent.gpp in "consent: Consent"
            missing canonical name    ~ : Id                                                       ~ field mapping line 1: missing canonical field name before ':' in ": Id"
            only comments             ~ # nothing yet\\n\\n                                           ~ field mapping has no entries: write one 'canonicalField: nativeField' per line
            """)
    void parseErrorsNameTheLineAndTheProblem(String name, String text, String message) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> FieldMapping.parse(text.replace("\\n", "\n")));
        assertEquals(message, error.getMessage());
    }

    @Test
    void emptyTextIsRejected() {
        assertEquals("field mapping is empty: write one 'canonicalField: nativeField' per line",
                assertThrows(IllegalArgumentException.class, () -> FieldMapping.parse("  \n ")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FieldMapping.parse(null));
    }

    @Test
    void crlfLineEndsCountLinesLikeLf() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> FieldMapping.parse("externalUserId: Id\r\n\r\nemail: nope(Email)\r\n"));
        assertTrue(error.getMessage().startsWith("field mapping line 3: unknown function 'nope'"), error.getMessage());
    }

    // ------------------------------------------------------------------------------------------ alternatives and constants

    @Test
    void theFirstAlternativeWithAValueWins() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: Id\nphone: Phone | MobilePhone | HomePhone");
        assertEquals(map("externalUserId", "1", "phone", "111"),
                mapping.apply(map("Id", "1", "Phone", "111", "MobilePhone", "222")));
        assertEquals(map("externalUserId", "1", "phone", "222"),
                mapping.apply(map("Id", "1", "Phone", "", "MobilePhone", "222")));
        assertEquals(map("externalUserId", "1", "phone", "333"),
                mapping.apply(map("Id", "1", "Phone", " \t\u00a0", "HomePhone", "333")));
        Map<String, Object> withNull = new HashMap<>(map("Id", "1", "MobilePhone", "222"));
        withNull.put("Phone", null);
        assertEquals(map("externalUserId", "1", "phone", "222"), mapping.apply(withNull));
    }

    @Test
    void absentAndEmptyValuesAreLeftOut() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: Id\nemail: Email\ncity: City\nstate: State | Region");
        Map<String, Object> record = new HashMap<>(map("Id", "1", "Email", "", "State", "  ", "Region", Map.of()));
        record.put("City", null);
        assertEquals(map("externalUserId", "1"), mapping.apply(record));
        assertEquals(Map.of(), mapping.apply(Map.of()));
    }

    @Test
    void valuesPassThroughUntrimmedAndUnconverted() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: Id\nemail: Email\nphone: Phone");
        assertEquals(map("externalUserId", 42L, "email", "  A@Example.com ", "phone", 15550100123L),
                mapping.apply(map("Id", 42L, "Email", "  A@Example.com ", "Phone", 15550100123L)));
    }

    @Test
    void quotedTextIsAConstant() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: Id
                countryCode: MailingCountryCode | 'US'
                action: "remove"
                city: 'Saint #1' # a hash inside quotes is text
                lastName: "O'Brien"
                """);
        assertEquals(map("externalUserId", "1", "countryCode", "US", "action", "remove", "city", "Saint #1", "lastName", "O'Brien"),
                mapping.apply(map("Id", "1")));
        assertEquals("DE", mapping.apply(map("Id", "1", "MailingCountryCode", "DE")).get("countryCode"));
    }

    // ------------------------------------------------------------------------------------------ functions

    @Test
    void firstWordAndLastWordsSplitAFullName() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: Id
                firstName: FirstName | firstWord(FullName)
                lastName: LastName | lastWords(FullName)
                """);
        assertEquals(map("externalUserId", "1", "firstName", "Jean", "lastName", "Paul  Sartre"),
                mapping.apply(map("Id", "1", "FullName", "  Jean \u00a0Paul  Sartre\t")));
        // a single word has no last words: the field is left out
        assertEquals(map("externalUserId", "1", "firstName", "Cher"), mapping.apply(map("Id", "1", "FullName", "Cher")));
    }

    @Test
    void explicitColumnsWinOverTheSplit() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: Id
                firstName: FirstName | firstWord(FullName)
                lastName: LastName | lastWords(FullName)
                """);
        assertEquals(map("externalUserId", "1", "firstName", "Ada", "lastName", "Paul Sartre"),
                mapping.apply(map("Id", "1", "FirstName", "Ada", "FullName", "Jean Paul Sartre", "LastName", "")));
    }

    @Test
    void lowerUpperTrimAndNestedCalls() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: trim(Id)
                email: lower(trim(Email))
                countryCode: upper(Country)
                state: upper(firstWord(Region))
                consent.userData: lower(Consent)
                """);
        assertEquals(map("externalUserId", "u-1", "email", "ann@example.com", "countryCode", "DE", "state", "BY",
                        "consent.userData", "true"),
                mapping.apply(map("Id", "  u-1\t", "Email", " Ann@Example.COM ", "Country", "de", "Region", "by Bavaria",
                        "Consent", true)));
        // a function of an absent value is absent; of a map, too
        assertEquals(map("externalUserId", "u-1"), mapping.apply(map("Id", "u-1", "Email", " ", "Region", Map.of("a", "b"))));
    }

    @Test
    void upperAndLowerIgnoreTheDefaultLocale() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: Id\nemail: lower(Email)\ncity: upper(City)");
        java.util.Locale previous = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
            assertEquals(map("externalUserId", "1", "email", "info@x.io", "city", "ISTANBUL"),
                    mapping.apply(map("Id", "1", "Email", "INFO@X.IO", "City", "istanbul")));
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    // ------------------------------------------------------------------------------------------ paths

    @Test
    void dottedPathsReachIntoNestedMapsAndLists() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: id
                email: properties.email.value
                phone: phones.0.number | properties.phone
                consent.userData: privacy.ads.granted
                """);
        Map<String, Object> record = map(
                "id", "u1",
                "properties", map("email", map("value", "a@example.com"), "phone", "+49 30 1234"),
                "phones", List.of(map("number", "+1 555 0100")),
                "privacy", map("ads", map("granted", false)));
        assertEquals(map("externalUserId", "u1", "email", "a@example.com", "phone", "+1 555 0100", "consent.userData", false),
                mapping.apply(record));
        // missing levels, a scalar where a map is expected, an index out of range: absent
        assertEquals(map("externalUserId", "u1", "phone", "+49 30 1234"),
                mapping.apply(map("id", "u1", "properties", map("email", "flat", "phone", "+49 30 1234"), "phones", List.of(),
                        "privacy", "yes")));
    }

    @Test
    void aKeyContainingTheDotsIsMatchedLiterallyFirst() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: id\nconsent.userData: consent.userData\nemail: a.b.c");
        assertEquals(map("externalUserId", "u1", "consent.userData", "GRANTED", "email", "literal"),
                mapping.apply(map("id", "u1", "consent.userData", "GRANTED", "consent", map("userData", "DENIED"),
                        "a.b.c", "literal", "a", map("b", map("c", "nested")))));
        // no literal key: the nested path
        assertEquals(map("externalUserId", "u1", "consent.userData", "DENIED", "email", "nested"),
                mapping.apply(map("id", "u1", "consent", map("userData", "DENIED"), "a", map("b", map("c", "nested")))));
        // a key with a dot in the middle of a path
        assertEquals(map("externalUserId", "u1", "email", "mixed"), mapping.apply(map("id", "u1", "a", map("b.c", "mixed"))));
        assertEquals(map("externalUserId", "u1", "email", "mixed2"), mapping.apply(map("id", "u1", "a.b", map("c", "mixed2"))));
    }

    @Test
    void backQuotedNamesAreLiteralColumnNames() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: `Contact ID`\nemail: `E-mail (work)` | `a.b`");
        assertEquals(map("externalUserId", "7", "email", "w@example.com"),
                mapping.apply(map("Contact ID", "7", "E-mail (work)", "w@example.com")));
        // back-quoted names are never split at dots
        assertEquals(map("externalUserId", "7"), mapping.apply(map("Contact ID", "7", "a", map("b", "nested"))));
        assertTrue(mapping.resolvableFrom("externalUserId", Set.of("Contact ID")));
    }

    @Test
    void booleansStayBooleans() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: Id\nconsent.adStorage: Consent\nconsent.userData: Consent");
        assertEquals(map("externalUserId", "1", "consent.adStorage", true, "consent.userData", true),
                mapping.apply(map("Id", "1", "Consent", Boolean.TRUE)));
        // false is a value (withdrawn consent), not an absence
        assertEquals(map("externalUserId", "1", "consent.adStorage", false, "consent.userData", false),
                mapping.apply(map("Id", "1", "Consent", Boolean.FALSE)));
    }

    // ------------------------------------------------------------------------------------------ introspection

    @Test
    void introspectionForReadersAndQueries() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: `Contact ID` | Id
                email: lower(Email)
                countryCode: Country | 'US'
                consent.userData: consent.userData
                """);
        assertTrue(mapping.maps("externalUserId"));
        assertFalse(mapping.maps("phone"));
        assertEquals(List.of("externalUserId", "email", "countryCode", "consent.userData"), List.copyOf(mapping.canonicalFields()));
        assertEquals(List.of("Contact ID", "Id", "Email", "Country", "consent.userData"), List.copyOf(mapping.nativeFields()));
        assertTrue(mapping.resolvableFrom("externalUserId", Set.of("Id", "Email")));
        assertFalse(mapping.resolvableFrom("externalUserId", Set.of("ID", "Email")));
        assertTrue(mapping.resolvableFrom("countryCode", Set.of())); // a constant always resolves
        assertTrue(mapping.resolvableFrom("consent.userData", Set.of("consent.userData")));
        assertFalse(mapping.resolvableFrom("phone", Set.of("phone")));
        assertFalse(mapping.isIdentity());
    }

    @Test
    void toStringIsCanonicalTextThatParsesBackToTheSameMapping() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId:   `Contact ID`|Id   # comment
                lastName: lastWords( FullName )
                countryCode: Country | 'US'
                city: "O'Hare"
                """);
        assertEquals("""
                externalUserId: `Contact ID` | Id
                lastName: lastWords(FullName)
                countryCode: Country | 'US'
                city: "O'Hare"
                """, mapping.toString());
        assertEquals(mapping.toString(), FieldMapping.parse(mapping.toString()).toString());
    }

    // ------------------------------------------------------------------------------------------ identity

    @Test
    void identityPassesCanonicalNamesAndNestedConsent() {
        FieldMapping identity = FieldMapping.identity();
        Map<String, Object> consent = map("userData", "GRANTED", "tcf", "CP...");
        assertEquals(map("externalUserId", "u1", "email", "a@example.com", "countryCode", "DE", "consent.adStorage", "yes",
                        "consent", consent),
                identity.apply(map("email", "a@example.com", "externalUserId", "u1", "Email", "ignored", "countryCode", "DE",
                        "phone", "", "consent.adStorage", "yes", "consent", consent, "extra", "dropped")));
        assertTrue(identity.isIdentity());
        assertTrue(identity.maps("externalUserId"));
        assertTrue(identity.maps("consent.gpp"));
        assertTrue(identity.resolvableFrom("externalUserId", Set.of("externalUserId")));
        assertFalse(identity.resolvableFrom("externalUserId", Set.of("ExternalUserId")));
        assertEquals(FieldMapping.CANONICAL_FIELDS, List.copyOf(identity.canonicalFields()));
        assertEquals("identity", identity.toString());
    }

    // ------------------------------------------------------------------------------------------ Salesforce

    @Test
    void salesforceContactMapsTheDefaultContactFields() {
        FieldMapping mapping = FieldMapping.salesforceContact("Ads_Consent__c");
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("attributes", map("type", "Contact", "url", "/services/data/v60.0/sobjects/Contact/003XX"));
        contact.put("Id", "003XX000004TmiQQAS");
        contact.put("Email", "jane.doe@example.com");
        contact.put("Phone", null);
        contact.put("MobilePhone", "+1 (206) 555-0100");
        contact.put("FirstName", "Jane");
        contact.put("LastName", "Doe");
        contact.put("MailingStreet", "410 Terry Ave N\nSuite 2");
        contact.put("MailingCity", "Seattle");
        contact.put("MailingState", "WA");
        contact.put("MailingPostalCode", "98109");
        contact.put("MailingCountryCode", "US");
        contact.put("Ads_Consent__c", true);
        contact.put("SystemModstamp", "2025-01-02T03:04:05.000+0000");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("externalUserId", "003XX000004TmiQQAS");
        expected.put("email", "jane.doe@example.com");
        expected.put("phone", "+1 (206) 555-0100");
        expected.put("firstName", "Jane");
        expected.put("lastName", "Doe");
        expected.put("address", "410 Terry Ave N\nSuite 2");
        expected.put("city", "Seattle");
        expected.put("state", "WA");
        expected.put("postalCode", "98109");
        expected.put("countryCode", "US");
        expected.put("consent.adStorage", true);
        expected.put("consent.userData", true);
        Map<String, Object> actual = mapping.apply(contact);
        assertEquals(expected, actual);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));

        contact.put("Phone", "+1 206 555 0199");
        contact.put("Ads_Consent__c", false);
        Map<String, Object> unchecked = mapping.apply(contact);
        assertEquals("+1 206 555 0199", unchecked.get("phone"));
        assertEquals(false, unchecked.get("consent.userData"));
        assertEquals(false, unchecked.get("consent.adStorage"));

        assertEquals(List.of("Id", "Email", "Phone", "MobilePhone", "FirstName", "LastName", "MailingStreet", "MailingCity",
                "MailingState", "MailingPostalCode", "MailingCountryCode", "Ads_Consent__c"), List.copyOf(mapping.nativeFields()));
    }

    @Test
    void salesforceContactTakesAnyConsentFieldNameButOnlyFieldNames() {
        assertEquals(map("externalUserId", "1", "consent.adStorage", "true", "consent.userData", "true"),
                FieldMapping.salesforceContact(" GDPR_Ads__c ").apply(map("Id", "1", "GDPR_Ads__c", "true")));
        assertThrows(IllegalArgumentException.class, () -> FieldMapping.salesforceContact(null));
        assertThrows(IllegalArgumentException.class, () -> FieldMapping.salesforceContact(""));
        assertThrows(IllegalArgumentException.class, () -> FieldMapping.salesforceContact("Ads Consent"));
        assertThrows(IllegalArgumentException.class, () -> FieldMapping.salesforceContact("x | 'GRANTED'"));
    }
}
