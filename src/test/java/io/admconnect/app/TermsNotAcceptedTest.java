package io.admconnect.app;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.admconnect.adm.AdmPreflightException;
import io.admconnect.sandbox.AdmSandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/** An account whose ADM terms are not accepted never gets ready and never uploads. */
@QuarkusTest
@TestProfile(TermsNotAcceptedTest.TermsNotAccepted.class)
class TermsNotAcceptedTest {

    public static class TermsNotAccepted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sandbox.terms-accepted", "false");
        }
    }

    @Inject
    ProducerTemplate template;

    @Inject
    AdmSandbox sandbox;

    @Test
    void readinessStaysDownWithTheReasonAndUploadsFailFast() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'adm' }.data.phase", equalTo("FAILED"))
                .body("checks.find { it.name == 'adm' }.data.message", containsString("terms are not accepted")));

        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("adm:uploadMembers?dataSet=crm_never", List.of("{}")));
        assertInstanceOf(AdmPreflightException.class, e.getCause());
        assertEquals(0, sandbox.counter("requests.members"));
        assertNull(sandbox.dataSet("crm_provisioned"), "nothing is provisioned before the terms are accepted");
        given().get("/q/health/live").then().statusCode(200);
    }
}
