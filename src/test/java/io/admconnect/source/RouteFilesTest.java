package io.admconnect.source;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/** A broken partner route is reported with its file and line; the other routes keep running. */
@QuarkusTest
@TestProfile(RouteFilesTest.WithPartnerRoutes.class)
class RouteFilesTest {

    public static class WithPartnerRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("camel.main.routes-include-pattern", "file:routes/*.yaml,classpath:partner-routes/*.yaml");
        }
    }

    @Inject
    RouteFiles routeFiles;

    @Inject
    CamelContext camel;

    @Inject
    ProducerTemplate template;

    @Test
    void brokenFilesAreReportedWithFileAndLineAndTheRestRuns() {
        Map<String, String> failures = routeFiles.failures();

        assertEquals(2, failures.size(), failures.toString());
        String syntax = failureOf(failures, "partner-routes/broken.yaml");
        assertTrue(syntax.contains("line 8, column 12"), syntax);
        String component = failureOf(failures, "partner-routes/unknown-component.yaml");
        assertTrue(component.contains("nosuchthing"), component);
        assertNull(camel.getRoute("unknown-component"), "a failed file leaves no route behind");

        assertEquals("still running", template.requestBody("direct:partner-working", "", String.class));
        assertNotNull(camel.getRoute("webhook"), "the shipped routes are loaded");
        given().get("/q/health/well").then().statusCode(503).body("checks.find { it.name == 'route-files' }.status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
    }

    private static String failureOf(Map<String, String> failures, String file) {
        return failures.entrySet().stream().filter(e -> e.getKey().endsWith(file)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(file + " not among the failures " + failures.keySet()));
    }
}
