package io.admconnect.source;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.admconnect.normalize.IdentityField;
import io.admconnect.normalize.IdentityNormalizer;
import io.admconnect.sandbox.AdmSandbox;
import io.admconnect.store.StoreDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The partner guide's example (routes/examples/hubspot-webhook.yaml) works as written. */
@QuarkusTest
@TestProfile(PartnerRouteTest.WithHubSpotExample.class)
class PartnerRouteTest {

    public static class WithHubSpotExample implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("camel.main.routes-include-pattern", "file:routes/*.yaml,file:routes/examples/hubspot-webhook.yaml",
                    "hubspot.webhook-secret", "hs-secret");
        }
    }

    @Inject
    AdmSandbox sandbox;

    @Inject
    StoreDataSource dataSource;

    @Test
    void aHubSpotStylePayloadIsMappedHashedAndStored() {
        String body = "[{\"vid\":3234574,\"properties\":{\"email\":{\"value\":\"Grace.Hopper@Example.com\"},"
                + "\"full_name\":{\"value\":\"Grace Brewster Hopper\"},\"mobilephone\":{\"value\":\"(571) 412-0599\"},"
                + "\"city\":{\"value\":\"Arlington\"},\"state\":{\"value\":\"Virginia\"},\"zip\":{\"value\":\"22201\"},"
                + "\"ads_consent\":{\"value\":\"true\"}}},"
                + "{\"vid\":3234575,\"properties\":{\"email\":{\"value\":\"no-consent@example.com\"}}}]";

        given().contentType("application/json").header("X-Signature-256", WebhookSignatures.sign(body, "hs-secret")).body(body)
                .post("/webhooks/hubspot").then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(List.of(Map.of("index", 1, "reason", "no_consent"))));

        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.dataSet("crm_hubspot_us") != null
                && sandbox.dataSet("crm_hubspot_us").members().containsKey("3234574"));
        IdentityNormalizer n = IdentityNormalizer.amazon();
        assertEquals("{\"action\":\"CREATE\",\"externalUserId\":\"3234574\",\"userIdentity\":{\"hashedPiis\":[{"
                + "\"em\":\"" + n.hash(IdentityField.EMAIL, "grace.hopper@example.com", "US") + "\","
                + "\"ph\":\"" + n.hash(IdentityField.PHONE, "5714120599", "US") + "\","
                + "\"fn\":\"" + n.hash(IdentityField.FIRST_NAME, "grace", "US") + "\","
                + "\"ln\":\"" + n.hash(IdentityField.LAST_NAME, "brewsterhopper", "US") + "\","
                + "\"cty\":\"" + n.hash(IdentityField.CITY, "arlington", "US") + "\","
                + "\"st\":\"" + n.hash(IdentityField.STATE, "Virginia", "US") + "\","
                + "\"zip\":\"" + n.hash(IdentityField.POSTAL_CODE, "22201", "US") + "\"}]},"
                + "\"userConsent\":{\"geo\":{\"countryCode\":\"US\"},\"consent\":{\"amzn\":{\"amznAdStorage\":\"GRANTED\","
                + "\"amznUserData\":\"GRANTED\"}}}}",
                sandbox.dataSet("crm_hubspot_us").members().get("3234574").member().toString());
        given().get("/q/metrics").then()
                .body(containsString("adm_records_received_total{source=\"hubspot\"} 2.0"))
                .body(containsString("adm_records_rejected_total{reason=\"no_consent\",source=\"hubspot\"} 1.0"));
    }

    @Test
    void whenTheStoreIsDownBothWebhookRoutesAnswer503AndAcknowledgeNothing() throws Exception {
        sql("alter table member_chunk add constraint webhook_outage check (data_set not in ('crm_hubspot_us', 'crm_webhook_test')) nocheck");
        try {
            String partner = "[{\"vid\":9,\"properties\":{\"email\":{\"value\":\"outage@example.com\"},\"ads_consent\":{\"value\":\"true\"}}}]";
            given().contentType("application/json").header("X-Signature-256", WebhookSignatures.sign(partner, "hs-secret")).body(partner)
                    .post("/webhooks/hubspot").then().statusCode(503).header("Retry-After", "5")
                    .body("message", equalTo("The records could not be stored; nothing was accepted. Retry later."));
            String shipped = "[{\"externalUserId\":\"outage-1\",\"email\":\"outage@example.com\",\"consent\":{\"userData\":\"GRANTED\"}}]";
            given().contentType("application/json").header("X-Signature-256", WebhookSignatures.sign(shipped, "test-webhook-secret")).body(shipped)
                    .post("/webhooks/crm").then().statusCode(503).header("Retry-After", "5");
        } finally {
            sql("alter table member_chunk drop constraint webhook_outage");
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = dataSource.transaction(); Statement ddl = connection.createStatement()) {
            ddl.execute(statement);
            connection.commit();
        }
    }

    @Test
    void aWrongSignatureIsRefusedByThePartnerRouteToo() {
        given().contentType("application/json").header("X-Signature-256", "sha256=00").body("[]")
                .post("/webhooks/hubspot").then().statusCode(401);
    }
}
