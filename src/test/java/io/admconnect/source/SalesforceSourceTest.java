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
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        return "{\"attributes\":{\"type\":\"Contact\",\"url\":\"/services/data/v59.0/sobjects/Contact/" + id + "\"},"
                + "\"Id\":\"" + id + "\",\"IsDeleted\":" + deleted + ",\"SystemModstamp\":\"" + modstamp + "\","
                + "\"Email\":\"" + email + "\",\"Phone\":null,\"MobilePhone\":\"+1 405 555 0100\",\"FirstName\":\"Ada\","
                + "\"LastName\":\"Lovelace\",\"MailingStreet\":null,\"MailingCity\":\"Dallas\",\"MailingState\":\"Texas\","
                + "\"MailingPostalCode\":\"75236\",\"MailingCountryCode\":\"US\",\"Ads_Consent__c\":" + consent + "}";
    }

    private void poll() throws Exception {
        camel.getRouteController().stopRoute("salesforce");
        camel.getRouteController().startRoute("salesforce");
    }

    private AdmSandbox.StoredMember stored(String id) {
        AdmSandbox.DataSet set = sandbox.dataSet(DATA_SET);
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
}
