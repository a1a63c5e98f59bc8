package io.admconnect.adm;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.admconnect.sandbox.AdmSandbox;
import io.admconnect.sandbox.SandboxFault;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adm component inside the bundle, from a YAML route and from URIs, against the embedded sandbox:
 * provisioning, uploads, per-member rejections, faults and token expiry. Every request the component
 * sends must pass the sandbox's OpenAPI check.
 */
@QuarkusTest
class AdmSandboxTest {

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);

    @Inject
    ProducerTemplate template;

    @Inject
    AdmSandbox sandbox;

    private final ObjectMapper mapper = new ObjectMapper();
    private long violationsBefore;

    @BeforeEach
    void awaitReadyAndClearFaults() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        sandbox.clearFaults();
        violationsBefore = sandbox.counter("adm.contractViolations");
    }

    @AfterEach
    void theComponentKeptToTheContract() {
        sandbox.clearFaults();
        assertEquals(violationsBefore, sandbox.counter("adm.contractViolations"),
                "a request of the component did not conform to adm-openapi.json");
    }

    private static AdmMember member(String externalUserId, String action, String emailHash) {
        return new AdmMember(action, externalUserId,
                new AdmMember.UserIdentity(List.of(new AdmMember.HashedPii(emailHash, null, null, null, null, null, null, null))),
                new AdmMember.UserConsent(new AdmMember.Geo("US", null),
                        new AdmMember.Consent(new AdmMember.AmznConsent("GRANTED", "GRANTED"), null, null)));
    }

    private static Throwable failureOf(Runnable call) {
        return assertThrows(CamelExecutionException.class, call::run).getCause();
    }

    @Test
    void provisioningCreatedTheDeclaredDataSetAndItsSharingRule() {
        AdmSandbox.DataSet provisioned = sandbox.dataSet("crm_provisioned");
        assertNotNull(provisioned, "the data set declared in adm.data-sets exists");
        assertTrue(sandbox.dataRoomExists());
        ObjectNode rule = sandbox.sharingRules().stream()
                .filter(r -> r.path("dataSetId").asText().equals(provisioned.id())).findFirst().orElseThrow();
        assertEquals("DSP_AUDIENCES", rule.path("application").asText());
        assertEquals("dsp-advertiser-1", rule.path("destinationAccountId").asText());
        assertEquals("ATVPDKIKX0DER", rule.path("marketplaceId").asText());
        assertEquals("CRM provisioned audience", rule.path("metadata").path("audienceMetadata").path("audienceName").asText());
        given().get("/q/health/ready").then().body("checks.find { it.name == 'adm' }.data.phase", equalTo("READY"));
    }

    @Test
    void aYamlRouteUploadsMembersAndTheSandboxKeepsThemExactly() throws Exception {
        AdmMember alice = member("crm-yaml-1", AdmMember.CREATE, HASH_A);
        AdmMember bob = member("crm-yaml-2", AdmMember.DELETE, HASH_B);

        UploadResult result = template.requestBody("direct:adm-upload", List.of(alice, bob), UploadResult.class);

        assertEquals(2, result.sent());
        assertEquals(2, result.accepted());
        assertEquals(List.of(), result.rejected());
        assertNotNull(result.ingressId());
        Map<String, AdmSandbox.StoredMember> stored = sandbox.dataSet("crm_loyalty_us").members();
        assertEquals(mapper.readTree(mapper.writeValueAsString(alice)), stored.get("crm-yaml-1").member());
        assertEquals("{\"action\":\"DELETE\",\"externalUserId\":\"crm-yaml-2\",\"userIdentity\":{\"hashedPiis\":[{\"em\":\""
                + HASH_B + "\"}]},\"userConsent\":{\"geo\":{\"countryCode\":\"US\"},\"consent\":{\"amzn\":{\"amznAdStorage\":\"GRANTED\","
                + "\"amznUserData\":\"GRANTED\"}}}}", stored.get("crm-yaml-2").member().toString());
    }

    @Test
    void membersAdmRefusesComeBackByTheirIndex() {
        sandbox.rejectMembers(List.of("crm-refused"));
        List<AdmMember> members = List.of(member("crm-ok-1", AdmMember.CREATE, HASH_A),
                member("crm-refused", AdmMember.CREATE, HASH_A),
                member("crm-bad-hash", AdmMember.CREATE, HASH_A.toUpperCase()),
                member("crm-ok-2", AdmMember.CREATE, HASH_B));

        UploadResult result = template.requestBody("adm:uploadMembers?dataSet=crm_rejections", members, UploadResult.class);

        assertEquals(4, result.sent());
        assertEquals(2, result.accepted());
        assertEquals(List.of(1, 2), result.rejected().stream().map(UploadResult.RejectedMember::index).toList());
        assertEquals("400", result.rejected().get(1).code());
        assertTrue(result.rejected().get(1).details().contains("hashedPiis.em must be a lowercase hex SHA-256"));
        assertEquals(2, sandbox.dataSet("crm_rejections").acceptedCount());
    }

    @Test
    void throttlingAndServerErrorsReachTheRouteTyped() {
        sandbox.addFault(SandboxFault.throttle("members", 1, 3));
        Throwable throttled = failureOf(() -> template.requestBody("adm:uploadMembers?dataSet=crm_faults",
                List.of(member("crm-f-1", AdmMember.CREATE, HASH_A))));
        assertEquals(Duration.ofSeconds(3), assertInstanceOf(AdmThrottledException.class, throttled).getRetryAfter());
        assertNotNull(((AdmException) throttled).getRequestId());

        sandbox.addFault(SandboxFault.status("members", 503, 1));
        Throwable unavailable = failureOf(() -> template.requestBody("adm:uploadMembers?dataSet=crm_faults",
                List.of(member("crm-f-1", AdmMember.CREATE, HASH_A))));
        assertEquals(503, assertInstanceOf(AdmTransientException.class, unavailable).getStatus());

        UploadResult afterwards = template.requestBody("adm:uploadMembers?dataSet=crm_faults",
                List.of(member("crm-f-1", AdmMember.CREATE, HASH_A)), UploadResult.class);
        assertEquals(1, afterwards.accepted());
    }

    @Test
    void aSlowAdmIsATimeout() {
        sandbox.addFault(SandboxFault.delay("members", 1_500, 1));
        Throwable timeout = failureOf(() -> template.requestBody("adm:uploadMembers?dataSet=crm_slow&requestTimeout=500",
                List.of(member("crm-s-1", AdmMember.CREATE, HASH_A))));
        assertTrue(assertInstanceOf(AdmTransientException.class, timeout).getMessage().contains("timed out"));
    }

    @Test
    void expiredTokensAreRefreshedWithoutTheRouteNoticing() {
        template.requestBody("adm:uploadMembers?dataSet=crm_tokens", List.of(member("crm-t-1", AdmMember.CREATE, HASH_A)));
        long issued = sandbox.counter("token.issued");
        long refused = sandbox.counter("adm.unauthorized");

        sandbox.expireTokens();
        UploadResult result = template.requestBody("adm:uploadMembers?dataSet=crm_tokens",
                List.of(member("crm-t-2", AdmMember.CREATE, HASH_A)), UploadResult.class);

        assertEquals(1, result.accepted());
        assertEquals(issued + 1, sandbox.counter("token.issued"), "one refresh");
        assertEquals(refused + 1, sandbox.counter("adm.unauthorized"), "one refused call before it");
    }

    @Test
    void aRevokedRefreshTokenIsAnAuthErrorThatNamesTheFix() {
        sandbox.expireTokens();
        sandbox.setRefreshTokenRevoked(true);
        try {
            Throwable revoked = failureOf(() -> template.requestBody("adm:uploadMembers?dataSet=crm_tokens",
                    List.of(member("crm-t-3", AdmMember.CREATE, HASH_A))));
            assertTrue(assertInstanceOf(AdmAuthException.class, revoked).getMessage().contains("ADM_REFRESH_TOKEN"));
        } finally {
            sandbox.setRefreshTokenRevoked(false);
        }
        assertEquals(1, template.requestBody("adm:uploadMembers?dataSet=crm_tokens",
                List.of(member("crm-t-3", AdmMember.CREATE, HASH_A)), UploadResult.class).accepted());
    }

    @Test
    void aDataSetDeletedBehindTheCacheIsResolvedAgain() {
        String first = template.requestBody("adm:ensureDataSet?dataSet=crm_recreated", null, String.class);
        given().auth().oauth2(token()).header("Amazon-Advertising-API-ClientId", "sandbox-client")
                .header("Amazon-Ads-Manager-Account-ID", "m").delete("/sandbox/adm/datasets/" + first).then().statusCode(204);

        UploadResult result = template.requestBody("adm:uploadMembers?dataSet=crm_recreated",
                List.of(member("crm-r-1", AdmMember.CREATE, HASH_A)), UploadResult.class);

        assertNotEquals(first, result.dataSetId());
        assertEquals(result.dataSetId(), sandbox.dataSet("crm_recreated").id());
        assertEquals(1, result.accepted());
    }

    @Test
    void theOtherOperationsWork() {
        String id = template.requestBody("adm:ensureDataSet?dataSet=crm_operations&countryCode=DE", null, String.class);
        template.requestBody("adm:uploadMembers?dataSet=crm_operations", List.of(member("crm-o-1", AdmMember.CREATE, HASH_A)));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> dataSets = template.requestBody("adm:listDataSets", null, List.class);
        assertTrue(dataSets.stream().anyMatch(d -> d.get("dataSetId").equals(id) && d.get("countryCode").equals("DE")));

        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = template.requestBody("adm:dataSetMetrics?dataSet=crm_operations", null, Map.class);
        assertEquals(1, ((Number) metrics.get("acceptedCount")).intValue());

        long erased = sandbox.counter("identities.deleted");
        assertEquals(2, template.requestBody("adm:deleteIdentities", List.of("crm-o-1", "crm-o-2"), Integer.class));
        assertEquals(erased + 2, sandbox.counter("identities.deleted"));

        @SuppressWarnings("unchecked")
        Map<String, Object> rule = template.requestBody("adm:createSharingRule?dataSet=crm_operations"
                + "&application=AMAZON_MARKETING_CLOUD&destinationAccountId=amc-account&marketplaceId=A1PA6795UKMFR9"
                + "&amcInstanceId=amc-instance-1", null, Map.class);
        assertEquals("ACTIVE", rule.get("status"));
        assertEquals(id, rule.get("dataSetId"));
    }

    @Test
    void badBodiesAreRefusedBeforeAnyCall() {
        long uploads = sandbox.counter("requests.members");
        Throwable empty = failureOf(() -> template.requestBody("adm:uploadMembers?dataSet=crm_bad", List.of()));
        assertTrue(assertInstanceOf(IllegalArgumentException.class, empty).getMessage().contains("at least one member"));
        Throwable missingDataSet = failureOf(() -> template.requestBody("adm:uploadMembers",
                List.of(member("crm-b-1", AdmMember.CREATE, HASH_A))));
        assertTrue(missingDataSet.getMessage().contains("needs a data set"));
        assertEquals(uploads, sandbox.counter("requests.members"));
    }

    private String token() {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", "Atzr|sandbox-refresh-token")
                .formParam("client_id", "sandbox-client").formParam("client_secret", "sandbox-secret")
                .post("/sandbox/auth/o2/token").then().statusCode(200).extract().path("access_token");
    }
}
