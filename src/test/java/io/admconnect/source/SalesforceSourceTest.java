package io.admconnect.source;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.admconnect.normalize.IdentityField;
import io.admconnect.normalize.IdentityNormalizer;
import io.admconnect.sandbox.AdmSandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.master.MasterEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The shipped Salesforce route against a stub Salesforce: OAuth refresh token, queryAll and queryMore
 * paging, deleted records and withdrawn consent as removals, the watermark persisted and used.
 */
@QuarkusTest
@TestProfile(SalesforceSourceTest.WithSalesforce.class)
class SalesforceSourceTest {

    /** Its own profile, so the stub Salesforce runs only for this test's bundle. */
    public static class WithSalesforce implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SalesforceStub.class));
        }
    }

    private static final String DATA_SET = "crm_salesforce_test";

    @Inject
    CamelContext camel;

    @Inject
    AdmSandbox sandbox;

    @Inject
    SourceWatermarks watermarks;

    private static String contact(String id, String email, Boolean consent, boolean deleted, String modstamp) {
        return record("Contact", id, deleted, modstamp, "\"Email\":\"" + email + "\",\"Phone\":null,\"MobilePhone\":\"+1 405 555 0100\","
                + "\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\",\"MailingStreet\":null,\"MailingCity\":\"Dallas\",\"MailingState\":\"Texas\","
                + "\"MailingPostalCode\":\"75236\",\"MailingCountryCode\":\"US\",\"Ads_Consent__c\":" + consent);
    }

    /** A record as Salesforce's query API answers it: attributes, Id, IsDeleted, SystemModstamp and the fields given. */
    private static String record(String type, String id, boolean deleted, String modstamp, String fields) {
        return "{\"attributes\":{\"type\":\"" + type + "\",\"url\":\"/services/data/v59.0/sobjects/" + type + "/" + id + "\"},"
                + "\"Id\":\"" + id + "\",\"IsDeleted\":" + deleted + ",\"SystemModstamp\":\"" + modstamp + "\"," + fields + "}";
    }

    private void poll() throws Exception {
        camel.getRouteController().stopRoute("salesforce");
        camel.getRouteController().startRoute("salesforce");
    }

    private AdmSandbox.StoredMember stored(String id) {
        return stored(DATA_SET, id);
    }

    private AdmSandbox.StoredMember stored(String dataSet, String id) {
        AdmSandbox.DataSet set = sandbox.dataSet(dataSet);
        return set == null ? null : set.members().get(id);
    }

    @Test
    void pagesDeletionsWithdrawalsAndTheWatermark() throws Exception {
        WireMockServer salesforce = SalesforceStub.server();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        salesforce.stubFor(get(urlPathMatching(SalesforceStub.QUERY_ALL_PATH)).atPriority(1)
                .withQueryParam("q", equalTo("SELECT Id, IsDeleted, SystemModstamp, Email, Phone, MobilePhone, FirstName, LastName,"
                        + " MailingStreet, MailingCity, MailingState, MailingPostalCode, MailingCountryCode, Ads_Consent__c"
                        + " FROM Contact ORDER BY SystemModstamp ASC, Id ASC"))
                .willReturn(okJson("{\"totalSize\":3,\"done\":false,\"nextRecordsUrl\":\"/services/data/v59.0/query/01gPAGE-2\","
                        + "\"records\":[" + contact("003A", "Ada@Example.com", true, false, "2026-11-20T10:00:00.000+0000") + ","
                        + contact("003B", "gone@example.com", true, true, "2026-11-20T11:00:00.000+0000") + "]}")));
        salesforce.stubFor(get(urlEqualTo("/services/data/v59.0/query/01gPAGE-2"))
                .willReturn(okJson("{\"totalSize\":3,\"done\":true,\"records\":["
                        + contact("003C", "optout@example.com", false, false, "2026-11-21T09:30:15.250+0000") + "]}")));

        poll();

        await().atMost(Duration.ofSeconds(20)).until(() -> stored("003A") != null && stored("003B") != null && stored("003C") != null);
        IdentityNormalizer normalizer = IdentityNormalizer.amazon();
        assertEquals("{\"action\":\"CREATE\",\"externalUserId\":\"003A\",\"userIdentity\":{\"hashedPiis\":[{"
                + "\"em\":\"" + normalizer.hash(IdentityField.EMAIL, "ada@example.com", "US") + "\","
                + "\"ph\":\"" + normalizer.hash(IdentityField.PHONE, "+1 405 555 0100", "US") + "\","
                + "\"fn\":\"" + normalizer.hash(IdentityField.FIRST_NAME, "ada", "US") + "\","
                + "\"ln\":\"" + normalizer.hash(IdentityField.LAST_NAME, "lovelace", "US") + "\","
                + "\"cty\":\"" + normalizer.hash(IdentityField.CITY, "dallas", "US") + "\","
                + "\"st\":\"" + normalizer.hash(IdentityField.STATE, "Texas", "US") + "\","
                + "\"zip\":\"" + normalizer.hash(IdentityField.POSTAL_CODE, "75236", "US") + "\"}]},"
                + "\"userConsent\":{\"geo\":{\"countryCode\":\"US\"},\"consent\":{\"amzn\":{\"amznAdStorage\":\"GRANTED\","
                + "\"amznUserData\":\"GRANTED\"}}}}", stored("003A").member().toString());
        assertEquals("DELETE", stored("003B").action(), "a deleted Contact is removed");
        assertEquals("DELETE", stored("003C").action(), "withdrawn consent removes the member");
        assertEquals(Optional.of("2026-11-21T09:30:15.250Z"), watermarks.read("salesforce"));
        salesforce.verify(postRequestedFor(urlEqualTo("/services/oauth2/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=sf-refresh-token"))
                .withRequestBody(containing("client_id=sf-client")));

        // The next poll asks only for what changed since the watermark.
        salesforce.stubFor(get(urlPathMatching(SalesforceStub.QUERY_ALL_PATH)).atPriority(1)
                .withQueryParam("q", containing("WHERE SystemModstamp >= 2026-11-21T09:30:15.250Z ORDER BY"))
                .willReturn(okJson("{\"totalSize\":1,\"done\":true,\"records\":["
                        + contact("003D", "new@example.com", true, false, "2026-11-22T08:00:00.000+0000") + "]}")));
        poll();

        await().atMost(Duration.ofSeconds(20)).until(() -> stored("003D") != null);
        assertEquals(Optional.of("2026-11-22T08:00:00Z"), watermarks.read("salesforce"));
        salesforce.verify(getRequestedFor(urlPathMatching(SalesforceStub.QUERY_ALL_PATH))
                .withQueryParam("q", containing("SystemModstamp >= 2026-11-21T09:30:15.250Z")));
        assertEquals(1, stored("003A").timesAccepted());
    }

    @Test
    void thePartnerGuidesLeadSourceAsksForItsOwnObjectFieldsAndConditionAndKeepsItsOwnWatermark() throws Exception {
        WireMockServer salesforce = SalesforceStub.server();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        salesforce.stubFor(get(urlPathMatching(SalesforceStub.QUERY_ALL_PATH)).atPriority(1)
                .withQueryParam("q", equalTo("SELECT Id, IsDeleted, SystemModstamp, Email, MobilePhone, Phone, FirstName, LastName, PostalCode,"
                        + " CountryCode, Ads_Consent__c FROM Lead WHERE (LeadSource = 'Web') ORDER BY SystemModstamp ASC, Id ASC"))
                .willReturn(okJson("{\"totalSize\":2,\"done\":true,\"records\":["
                        + record("Lead", "00QA", false, "2026-11-23T08:00:00.000+0000", "\"Email\":\"Grace@Example.com\",\"MobilePhone\":null,"
                                + "\"Phone\":\"(405) 555-0199\",\"FirstName\":\"Grace\",\"LastName\":\"Hopper\",\"PostalCode\":\"73301\","
                                + "\"CountryCode\":null,\"Ads_Consent__c\":true") + ","
                        + record("Lead", "00QB", false, "2026-11-23T09:00:00.000+0000", "\"Email\":\"no.consent@example.com\",\"MobilePhone\":null,"
                                + "\"Phone\":null,\"FirstName\":null,\"LastName\":null,\"PostalCode\":null,\"CountryCode\":\"US\","
                                + "\"Ads_Consent__c\":null") + "]}")));

        PartnerRoutes.load(camel, "salesforce-leads.yaml", Files.readString(Path.of("routes/examples/salesforce-leads.yaml")));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> stored("crm_salesforce_leads", "00QA") != null);
            IdentityNormalizer normalizer = IdentityNormalizer.amazon();
            assertEquals("{\"action\":\"CREATE\",\"externalUserId\":\"00QA\",\"userIdentity\":{\"hashedPiis\":[{"
                    + "\"em\":\"" + normalizer.hash(IdentityField.EMAIL, "grace@example.com", "US") + "\","
                    + "\"ph\":\"" + normalizer.hash(IdentityField.PHONE, "4055550199", "US") + "\","
                    + "\"fn\":\"" + normalizer.hash(IdentityField.FIRST_NAME, "grace", "US") + "\","
                    + "\"ln\":\"" + normalizer.hash(IdentityField.LAST_NAME, "hopper", "US") + "\","
                    + "\"zip\":\"" + normalizer.hash(IdentityField.POSTAL_CODE, "73301", "US") + "\"}]},"
                    + "\"userConsent\":{\"geo\":{\"countryCode\":\"US\"},\"consent\":{\"amzn\":{\"amznAdStorage\":\"GRANTED\","
                    + "\"amznUserData\":\"GRANTED\"}}}}", stored("crm_salesforce_leads", "00QA").member().toString());
            // The watermark and the counters are the Lead source's own; the shipped Contact source's are untouched.
            assertEquals(Optional.of("2026-11-23T09:00:00Z"), watermarks.read("salesforce-leads"));
            given().get("/q/metrics").then()
                    .body(containsString("adm_records_received_total{source=\"salesforce-leads\"} 2.0"))
                    .body(containsString("adm_records_rejected_total{reason=\"no_consent\",source=\"salesforce-leads\"} 1.0"));
            assertEquals("salesforce-leads", ((MasterEndpoint) PartnerRoutes.kameletRouteOf(camel, "salesforce-leads").getEndpoint())
                    .getNamespace());
        } finally {
            PartnerRoutes.unload(camel, "salesforce-leads");
        }
    }
}
