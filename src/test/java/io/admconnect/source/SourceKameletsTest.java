package io.admconnect.source;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

/**
 * Routes on the source Kamelets: those whose settings are wrong are reported when they load, naming the source and
 * the entry, not when their first record arrives, and nothing of them runs while every other route does; a shipped
 * source switched off by its settings polls nothing, its Kamelet's poller included.
 */
@QuarkusTest
@TestProfile(SourceKameletsTest.WithBrokenKameletRoutes.class)
class SourceKameletsTest {

    public static class WithBrokenKameletRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("camel.main.routes-include-pattern",
                    "file:routes/*.yaml,file:routes/examples/hubspot-webhook.yaml,classpath:kamelet-checks/*.yaml",
                    "hubspot.webhook-secret", "hs-secret",
                    "check.multi-line-mapping", "externalUserId: id\nemail: mail");
        }
    }

    @Inject
    RouteFiles routeFiles;

    @Inject
    CamelContext camel;

    @Test
    void badSettingsStopTheirOwnRouteFromStartingAndAreReportedWithTheSourceAndTheEntry() {
        Map<String, String> failures = routeFiles.failures();

        assertEquals(5, failures.size(), failures.toString());
        assertTrue(failureOf(failures, "bad-drop.yaml").contains("Source bad-drop: field mapping line 1: unknown canonical field 'emial'"),
                failures.toString());
        assertTrue(failureOf(failures, "bad-drop.yaml").endsWith("in \"emial: Mail\""), failures.toString());
        assertTrue(failureOf(failures, "bad-hook.yaml").contains("Source bad-hook: field mapping line 1: expected 'canonicalField: expression'"
                + " in \"email properties.email\""), failures.toString());
        assertTrue(failureOf(failures, "bad-leads.yaml").contains("Source bad-leads: object 'Lead Source' is not a Salesforce object API name"),
                failures.toString());
        assertTrue(failureOf(failures, "multi-line-mapping.yaml").contains("multi-line-hook"), failures.toString());
        assertTrue(failureOf(failures, "bad-replay-window.yaml").contains("Source bad-window: replay window 'a day' is not a duration"
                + " such as 24h, 30m or 0s"), failures.toString());
        failures.values().forEach(failure -> assertFalse(failure.contains("check-secret"), failure));
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'route-files' }.status", equalTo("DOWN"))
                .body(not(containsString("check-secret")));

        // Nothing of the broken routes runs: neither the routes nor their Kamelets' pollers or endpoints.
        camel.getRoutes().forEach(route -> assertFalse(route.getEndpoint().getEndpointUri().contains("bad-")
                || route.getEndpoint().getEndpointUri().contains("multi-line"), route.getId() + " " + route.getEndpoint()));
        given().contentType("application/json").body("[]").post("/webhooks/bad-hook").then().statusCode(404);

        // The other routes run: the shipped ones and a partner's.
        String body = "[{\"vid\":1,\"properties\":{\"email\":{\"value\":\"still.running@example.com\"},\"ads_consent\":{\"value\":\"true\"}}}]";
        given().contentType("application/json").header("X-Signature-256", WebhookSignatures.sign(body, "hs-secret")).body(body)
                .post("/webhooks/hubspot").then().statusCode(202).body("accepted", equalTo(1));
        assertTrue(camel.getRouteController().getRouteStatus("webhook").isStarted());
        assertTrue(camel.getRouteController().getRouteStatus("hubspot").isStarted());
    }

    @Test
    void aSourceSwitchedOffPollsNothing() {
        // This profile sets neither SFTP_* nor SALESFORCE_*: the shipped pollers exist, stopped, with their Kamelets' routes.
        for (String source : new String[] {"sftp", "salesforce"}) {
            assertEquals(ServiceStatus.Stopped, camel.getRouteController().getRouteStatus(source), source);
            String poller = PartnerRoutes.kameletRouteOf(camel, source).getRouteId();
            assertEquals(ServiceStatus.Stopped, camel.getRouteController().getRouteStatus(poller), poller);
        }
    }

    private static String failureOf(Map<String, String> failures, String file) {
        return failures.entrySet().stream().filter(e -> e.getKey().endsWith(file)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(file + " not among the failures " + failures.keySet()));
    }
}
