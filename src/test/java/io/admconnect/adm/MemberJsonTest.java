package io.admconnect.adm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link MemberJson} writes exactly what Jackson writes for the same member, whatever is left out or needs escaping. */
class MemberJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final String HASH = "a".repeat(64);

    static Stream<AdmMember> members() {
        AdmMember.HashedPii all = new AdmMember.HashedPii(HASH, HASH, HASH, HASH, HASH, HASH, HASH, HASH);
        AdmMember.HashedPii some = new AdmMember.HashedPii(null, HASH, null, null, HASH, null, null, HASH);
        return Stream.of(
                new AdmMember("CREATE", "crm-1", new AdmMember.UserIdentity(List.of(all)), new AdmMember.UserConsent(
                        new AdmMember.Geo("US", "192.0.2.1"), new AdmMember.Consent(new AdmMember.AmznConsent("GRANTED", "GRANTED"), null, null))),
                new AdmMember("DELETE", "crm-2", new AdmMember.UserIdentity(List.of(some)), new AdmMember.UserConsent(
                        new AdmMember.Geo("DE", null), new AdmMember.Consent(new AdmMember.AmznConsent(null, "GRANTED"), "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA", null))),
                new AdmMember("CREATE", "crm-3", new AdmMember.UserIdentity(Arrays.asList(some, null, all)), new AdmMember.UserConsent(
                        null, new AdmMember.Consent(null, "tcf \"quoted\" back\\slash", "gpp\n\t\r\b\f\u0001\u001f ü 中 😀 /"))),
                new AdmMember("CREATE", "crm-4", new AdmMember.UserIdentity(List.of()), new AdmMember.UserConsent(null, null)),
                new AdmMember("CREATE", null, new AdmMember.UserIdentity(null), null),
                new AdmMember(null, null, null, new AdmMember.UserConsent(new AdmMember.Geo(null, null), new AdmMember.Consent(null, null, null))));
    }

    @ParameterizedTest
    @MethodSource("members")
    void writesWhatJacksonWrites(AdmMember member) throws Exception {
        assertEquals(JACKSON.writeValueAsString(member), new String(MemberJson.of(member), StandardCharsets.UTF_8));
    }
}
