package io.admconnect.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.adm.AdmMember;
import io.admconnect.normalize.IdentityNormalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** normalize-hash-consent for single records: exact members, consent and action rules, rejection reasons. */
class MemberFactoryTest {

    // Hashes from Amazon's reference data (vectors/amazon-uploader/us.jsonl, record us-1).
    private static final String EM = "5bd5f77cb5a05b8a30fb028e800c19207c158772564e485561e5596506aba005";
    private static final String PH = "8ae78b78db5e45aff4a0646198a9f1e60270ba153349b29b4ce0bbd2f5ec9cc9";
    private static final String FN = "77f53c97d937d5b146f99f9dae5017853c76cde577f8dd9d986bbeec238ae0f0";
    private static final String LN = "357df1c6702954e5d6ab9741d9430d01cd08f262352934bdde254a014c3fb99c";
    private static final String AD = "fe8115cbef0c2b9c5bedbedaa34b080223959365176679d9b0461465b1b08425";
    private static final String CTY = "fa2115f8d576a6ab722956697fc759c31d1cd6b93c8336bfebf73ed5cba2ff49";
    private static final String ST = "1b5b9ccb3e8d006a5230de9bda23ff91edc794d4f56410560830b418528e446c";
    private static final String ZIP = "91b6147da4928d5742bb8ddb035e75f9fe77a7f88881906ac7417abf8a46effa";

    private final MemberFactory factory = new MemberFactory(IdentityNormalizer.amazon());
    private final ObjectMapper mapper = new ObjectMapper();

    private static Map<String, Object> us1() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("externalUserId", "us-1");
        record.put("countryCode", "US");
        record.put("firstName", "Faulkner");
        record.put("lastName", "Checketts");
        record.put("email", "fchecketts0@webeden.co.uk");
        record.put("address", "8 Bluestem Terrace");
        record.put("phone", "5714120599");
        record.put("city", "Dallas");
        record.put("state", "Texas");
        record.put("postalCode", "75236-9599");
        return record;
    }

    private AdmMember member(Map<String, ?> record) {
        return assertInstanceOf(RecordOutcome.Member.class, factory.toMember(record, "US")).member();
    }

    private RejectionReason rejection(Map<String, ?> record, String country) {
        return assertInstanceOf(RecordOutcome.Rejected.class, factory.toMember(record, country)).reason();
    }

    @Test
    void aFullRecordBecomesTheExactMemberAdmExpects() throws Exception {
        Map<String, Object> record = us1();
        record.put("ipAddress", "203.0.113.7");
        record.put("consent", Map.of("adStorage", "granted", "userData", true, "tcf", "CPXxRfAPXxRfA", "gpp", "DBABMA~CPXxRfAPXxRfA"));

        String json = mapper.writeValueAsString(member(record));

        assertEquals("{\"action\":\"CREATE\",\"externalUserId\":\"us-1\",\"userIdentity\":{\"hashedPiis\":[{"
                + "\"em\":\"" + EM + "\",\"ph\":\"" + PH + "\",\"fn\":\"" + FN + "\",\"ln\":\"" + LN + "\",\"ad\":\"" + AD
                + "\",\"cty\":\"" + CTY + "\",\"st\":\"" + ST + "\",\"zip\":\"" + ZIP + "\"}]},"
                + "\"userConsent\":{\"geo\":{\"countryCode\":\"US\",\"ipAddress\":\"203.0.113.7\"},"
                + "\"consent\":{\"amzn\":{\"amznAdStorage\":\"GRANTED\",\"amznUserData\":\"GRANTED\"},"
                + "\"tcf\":\"CPXxRfAPXxRfA\",\"gpp\":\"DBABMA~CPXxRfAPXxRfA\"}}}", json);
    }

    @Test
    void flatDottedConsentColumnsWorkLikeTheNestedObject() {
        Map<String, Object> record = us1();
        record.put("consent.userData", "YES");
        record.put("consent.adStorage", "no");

        AdmMember.AmznConsent amzn = member(record).userConsent().consent().amzn();

        assertEquals(new AdmMember.AmznConsent("DENIED", "GRANTED"), amzn);
    }

    @Test
    void withdrawnConsentRemovesTheMemberWithTheAuthorizationAmazonRequires() {
        Map<String, Object> record = us1();
        record.put("consent", Map.of("userData", "DENIED", "adStorage", "DENIED"));

        AdmMember member = member(record);

        assertEquals(AdmMember.DELETE, member.action());
        assertEquals(new AdmMember.AmznConsent("DENIED", "GRANTED"), member.userConsent().consent().amzn());
        assertEquals(EM, member.userIdentity().hashedPiis().get(0).em());
    }

    /** country group x consent signal x action -> outcome. */
    static Stream<Arguments> consentTable() {
        return Stream.of(
                // country, userData, adStorage, tcf, action, expected
                Arguments.of("US", "GRANTED", null, null, "add", "CREATE"),
                Arguments.of("US", "DENIED", null, null, "add", "DELETE"),
                Arguments.of("US", null, "GRANTED", null, "add", "CREATE"),
                Arguments.of("US", null, null, "CPXxRf", "add", "CREATE"),
                Arguments.of("US", "UNKNOWN", "NOT_APPLICABLE", null, "add", "no_consent"),
                Arguments.of("US", null, null, null, "add", "no_consent"),
                Arguments.of("US", "GRANTED", null, null, "remove", "DELETE"),
                Arguments.of("US", null, null, null, "remove", "DELETE"),
                Arguments.of("GB", "GRANTED", null, null, "add", "CREATE"),
                Arguments.of("GB", "DENIED", "GRANTED", null, "add", "DELETE"),
                Arguments.of("GB", null, null, "CPXxRf", "add", "CREATE"),
                Arguments.of("GB", "UNKNOWN", null, null, "add", "no_consent"),
                Arguments.of("GB", null, null, null, "add", "no_consent"),
                Arguments.of("GB", null, null, null, "remove", "DELETE"),
                Arguments.of("DE", "true", null, null, "add", "CREATE"),
                Arguments.of("DE", "no", null, null, "add", "DELETE"),
                Arguments.of("DE", null, "yes", null, "add", "CREATE"),
                Arguments.of("DE", null, null, null, "add", "no_consent"),
                Arguments.of("DE", "DENIED", null, null, "remove", "DELETE"),
                Arguments.of("FR", "NOT_APPLICABLE", null, null, "add", "no_consent"),
                Arguments.of("JP", "GRANTED", null, null, "REMOVE", "DELETE"),
                Arguments.of("JP", null, null, null, "add", "no_consent"),
                Arguments.of("CA", "granted", "denied", null, "Add", "CREATE"),
                Arguments.of("US", "maybe", null, null, "add", "invalid_consent"),
                Arguments.of("US", "GRANTED", null, null, "upsert", "invalid_action"));
    }

    @ParameterizedTest(name = "{0} userData={1} adStorage={2} tcf={3} action={4} -> {5}")
    @MethodSource("consentTable")
    void consentAndActionRules(String country, String userData, String adStorage, String tcf, String action, String expected) {
        Map<String, Object> record = new HashMap<>(Map.of("externalUserId", "crm-1", "email", "a@example.com",
                "countryCode", country, "action", action));
        Map<String, Object> consent = new HashMap<>();
        if (userData != null) {
            consent.put("userData", userData);
        }
        if (adStorage != null) {
            consent.put("adStorage", adStorage);
        }
        if (tcf != null) {
            consent.put("tcf", tcf);
        }
        record.put("consent", consent);

        RecordOutcome outcome = factory.toMember(record, "US");

        if (outcome instanceof RecordOutcome.Member member) {
            assertEquals(expected, member.member().action());
            assertEquals(country, member.member().userConsent().geo().countryCode());
            if (AdmMember.DELETE.equals(expected)) {
                assertEquals("GRANTED", member.member().userConsent().consent().amzn().amznUserData(),
                        "a DELETE carries a GRANTED signal or Amazon ignores it");
            }
        } else {
            assertEquals(expected, ((RecordOutcome.Rejected) outcome).reason().code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no externalUserId             | {\"email\":\"a@example.com\"}                                   | missing_external_user_id",
            "blank externalUserId          | {\"externalUserId\":\"  \",\"email\":\"a@example.com\"}          | missing_external_user_id",
            "externalUserId with a space   | {\"externalUserId\":\"crm 1\",\"email\":\"a@example.com\"}       | invalid_external_user_id",
            "externalUserId too long       | {\"externalUserId\":\"x\",\"pad\":129,\"email\":\"a@example.com\"} | invalid_external_user_id",
            "no identity at all            | {\"externalUserId\":\"crm-1\"}                                  | no_identity",
            "removal with only the id      | {\"externalUserId\":\"crm-1\",\"action\":\"remove\"}             | no_identity",
            "only an invalid email         | {\"externalUserId\":\"crm-1\",\"email\":\"not-an-email\"}         | invalid_email",
            "only an invalid postal code   | {\"externalUserId\":\"crm-1\",\"postalCode\":\"12\"}             | invalid_postal_code",
            "unknown country               | {\"externalUserId\":\"crm-1\",\"email\":\"a@example.com\",\"countryCode\":\"XX\"} | invalid_country_code",
            "nested object as a field      | {\"externalUserId\":\"crm-1\",\"email\":{\"v\":\"a@example.com\"}} | invalid_field_type",
            "no consent                    | {\"externalUserId\":\"crm-1\",\"email\":\"a@example.com\"}       | no_consent"})
    void rejectionsNameTheReasonAndNeverTheValue(String name, String json, String reason) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> record = mapper.readValue(json, Map.class);
        if (record.containsKey("pad")) {
            record.remove("pad");
            record.put("externalUserId", "x".repeat(129));
        }
        RejectionReason rejected = rejection(record, "US");
        assertEquals(reason, rejected.code());
        assertFalse(rejected.code().contains("example"));
    }

    @Test
    void anInvalidValueIsOmittedWhenAnotherIdentityRemains() {
        Map<String, Object> record = us1();
        record.put("email", "not-an-email");
        record.put("consent.userData", "GRANTED");

        AdmMember.HashedPii pii = member(record).userIdentity().hashedPiis().get(0);

        assertEquals(null, pii.em());
        assertEquals(PH, pii.ph());
    }

    @Test
    void theDataSetCountryAppliesWhenTheRecordHasNone() {
        Map<String, Object> record = Map.of("externalUserId", "de-2", "phone", "030 1234567", "consent", Map.of("userData", "GRANTED"));

        AdmMember member = assertInstanceOf(RecordOutcome.Member.class, factory.toMember(record, "DE")).member();

        assertEquals("DE", member.userConsent().geo().countryCode());
        // 49301234567: the DE example of normalization.md, hashed.
        assertEquals(io.admconnect.normalize.IdentityNormalizer.amazon().hash(io.admconnect.normalize.IdentityField.PHONE, "+49 30 1234567", "DE"),
                member.userIdentity().hashedPiis().get(0).ph());
    }

    @Test
    void preHashedValuesPassThroughLowercased() {
        Map<String, Object> record = Map.of("externalUserId", "crm-1", "email", EM.toUpperCase(), "consent.userData", "GRANTED");
        assertEquals(EM, member(record).userIdentity().hashedPiis().get(0).em());
    }

    @Test
    void hostNamesAreNeverPassedOnAsIpAddresses() {
        Map<String, Object> record = new HashMap<>(us1());
        record.put("consent.userData", "GRANTED");
        record.put("ipAddress", "example.com");
        assertEquals(null, member(record).userConsent().geo().ipAddress());
        record.put("ipAddress", "2001:db8::1");
        assertEquals("2001:db8::1", member(record).userConsent().geo().ipAddress());
    }

    @Test
    void removalsKeepTheirOtherConsentValues() {
        Map<String, Object> record = new HashMap<>(us1());
        record.put("action", "remove");
        record.put("consent", Map.of("adStorage", "DENIED", "gpp", "DBABMA"));

        AdmMember member = member(record);

        assertEquals(AdmMember.DELETE, member.action());
        assertEquals(new AdmMember.Consent(new AdmMember.AmznConsent("DENIED", "GRANTED"), null, "DBABMA"),
                member.userConsent().consent());
        assertEquals(List.of(member.userIdentity().hashedPiis().get(0)), member.userIdentity().hashedPiis());
    }
}
