package io.admconnect.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.adm.AdmMember;
import io.admconnect.normalize.IdentityField;
import io.admconnect.normalize.IdentityNormalizer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.web.api.Web;

/**
 * Fuzzing normalize-hash-consent (jqwik; tries: {@code -Dfuzz.tries}, see RELIABILITY.md): any canonical
 * record, with values of any JSON type, becomes a member or a rejection (never an exception); a member holds
 * only lowercase hex SHA-256 identities and none of the record's identity values in plain text; the outcome
 * is the same every time.
 */
class MemberFactoryProperties {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern EXTERNAL_USER_ID = Pattern.compile("[0-9a-zA-Z_-]{1,128}");
    private static final List<String> FIELDS = List.of("externalUserId", "email", "phone", "firstName", "lastName", "address",
            "city", "state", "postalCode", "countryCode", "ipAddress", "action", "consent", "consent.userData",
            "consent.adStorage", "consent.tcf", "consent.gpp");
    private static final MemberFactory FACTORY = new MemberFactory(IdentityNormalizer.amazon());
    private final ObjectMapper mapper = new ObjectMapper();

    @Property
    void everyRecordBecomesAHashedMemberOrARejection(@ForAll("records") Map<String, Object> record,
            @ForAll("countries") String dataSetCountry) {
        RecordOutcome outcome = FACTORY.toMember(record, dataSetCountry);

        assertEquals(outcome, FACTORY.toMember(record, dataSetCountry), "the same record, the same outcome");
        if (outcome instanceof RecordOutcome.Rejected rejected) {
            assertTrue(rejected.reason().code().matches("[a-z_]+"));
            return;
        }
        AdmMember member = ((RecordOutcome.Member) outcome).member();
        assertTrue(EXTERNAL_USER_ID.matcher(member.externalUserId()).matches());
        assertTrue(member.action().equals(AdmMember.CREATE) || member.action().equals(AdmMember.DELETE));
        JsonNode hashes = mapper.valueToTree(member.userIdentity().hashedPiis().get(0));
        assertTrue(hashes.size() > 0, "a member has an identity");
        hashes.forEach(hash -> assertTrue(SHA256_HEX.matcher(hash.asText()).matches(), hash::asText));
        String json = mapper.valueToTree(member).toString();
        for (String plaintext : identityValues(record)) {
            assertFalse(json.contains(plaintext), () -> "plain text in the member: " + plaintext);
        }
    }

    /** Records of canonical fields (a random subset) with values of every JSON type, realistic ones more often. */
    @Provide
    Arbitrary<Map<String, Object>> records() {
        Arbitrary<Object> text = Arbitraries.oneOf(Web.emails(), Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789 +-()").ofMaxLength(20), Arbitraries.strings().alpha().ofMaxLength(12),
                Arbitraries.of("GRANTED", "denied", "yes", "No", "true", "UNKNOWN", "NOT_APPLICABLE", "add", "remove", "US", "de",
                        "GB", "10.0.0.1", "::1", "crm-1", "CPXxRfAPXxRfA", "1---", " ")).map(v -> v);
        Arbitrary<Object> scalar = Arbitraries.oneOf(text, text, text, Arbitraries.integers().map(v -> v),
                Arbitraries.longs().map(v -> v), Arbitraries.doubles().map(v -> v), Arbitraries.of(true, false).map(v -> v),
                Arbitraries.just(null));
        Arbitrary<Object> value = Arbitraries.frequencyOf(
                Tuple.of(8, scalar),
                Tuple.of(1, scalar.list().ofMaxSize(3).map(v -> v)),
                Tuple.of(1, Arbitraries.maps(Arbitraries.of("userData", "adStorage", "tcf", "gpp", "x"), scalar)
                        .ofMaxSize(4).map(v -> v)));
        return Arbitraries.maps(Arbitraries.of(FIELDS), value).ofMaxSize(FIELDS.size()).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<String> countries() {
        return Arbitraries.of("US", "GB", "DE", "JP", "us", null);
    }

    /**
     * The record's identity values that must not be in a member: long enough not to turn up by chance, not
     * pre-hashed, and not also given in a field the member carries as it is (id, country, IP, consent).
     */
    private static List<String> identityValues(Map<String, Object> record) {
        List<String> identities = new ArrayList<>();
        StringBuilder carried = new StringBuilder();
        record.forEach((field, value) -> {
            boolean identity = IdentityField.fromCanonicalName(field).isPresent();
            String text = value == null ? "" : value.toString().trim();
            if (!identity) {
                carried.append(text).append('\n');
            } else if (text.length() >= 8 && !text.matches("[0-9a-fA-F]{64}")) {
                identities.add(text);
            }
        });
        identities.removeIf(text -> carried.indexOf(text) >= 0);
        return identities;
    }
}
