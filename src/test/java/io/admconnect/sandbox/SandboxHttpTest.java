package io.admconnect.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox over HTTP refuses what Amazon refuses, with Amazon's status codes and bodies. */
@QuarkusTest
class SandboxHttpTest {

    private static final String MEMBERS_TYPE = "application/vnd.admAudiences.v1+json";
    private static final String HASH = "c".repeat(64);

    @BeforeEach
    void awaitProvisioning() {
        // Provisioning talks to this sandbox too: let it finish so its calls do not meet the faults set here.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static String token() {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", "Atzr|sandbox-refresh-token")
                .formParam("client_id", "sandbox-client").formParam("client_secret", "sandbox-secret")
                .post("/sandbox/auth/o2/token").then().statusCode(200)
                .body("token_type", equalTo("bearer")).body("expires_in", equalTo(3600))
                .extract().path("access_token");
    }

    private static RequestSpecification adm() {
        return given().auth().oauth2(token()).header("Amazon-Advertising-API-ClientId", "sandbox-client")
                .header("Amazon-Ads-Manager-Account-ID", "manager-1");
    }

    private static String dataSet(String name) {
        return adm().contentType("application/json").body("{\"name\":\"" + name + "\",\"countryCode\":\"GB\"}")
                .post("/sandbox/adm/audiences").then().statusCode(201).extract().path("dataSetId");
    }

    private static String member(String id, String consent) {
        return "{\"action\":\"CREATE\",\"externalUserId\":\"" + id + "\",\"userIdentity\":{\"hashedPiis\":[{\"em\":\"" + HASH + "\"}]}"
                + consent + "}";
    }

    @Test
    void theTokenEndpointChecksWhatLoginWithAmazonChecks() {
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", "Atzr|wrong").formParam("client_id", "sandbox-client").formParam("client_secret", "sandbox-secret")
                .post("/sandbox/auth/o2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", "Atzr|sandbox-refresh-token").formParam("client_id", "sandbox-client").formParam("client_secret", "nope")
                .post("/sandbox/auth/o2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic("a", "b").contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .post("/sandbox/auth/o2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void admCallsNeedAValidTokenTheClientIdAndOneScopingHeader() {
        given().header("Amazon-Advertising-API-ClientId", "sandbox-client").header("Amazon-Ads-Manager-Account-ID", "m")
                .get("/sandbox/adm/terms").then().statusCode(401).body("code", equalTo("401"))
                .header("Amazon-Advertising-API-RequestId", notNullValue());
        given().auth().oauth2(token()).header("Amazon-Ads-Manager-Account-ID", "m")
                .get("/sandbox/adm/terms").then().statusCode(400).body("message", equalTo("Bad Request"));
        given().auth().oauth2(token()).header("Amazon-Advertising-API-ClientId", "sandbox-client")
                .get("/sandbox/adm/terms").then().statusCode(400).body("details", containsString("exactly one"));
        adm().get("/sandbox/adm/terms").then().statusCode(200).body("hasAccepted", equalTo(true));
    }

    @Test
    void uploadsAreCheckedAgainstAmazonsContract() {
        String id = dataSet("sandbox_contract_set");
        String path = "/sandbox/adm/audiences/" + id + "/members";
        String consent = ",\"userConsent\":{\"consent\":{\"amzn\":{\"amznUserData\":\"GRANTED\",\"amznAdStorage\":\"GRANTED\"}}}";

        adm().contentType("application/json").body("{\"members\":[" + member("m-1", consent) + "]}")
                .post(path).then().statusCode(415);
        adm().contentType(MEMBERS_TYPE).body("{\"members\":[]}").post(path).then().statusCode(400);
        adm().contentType(MEMBERS_TYPE).body("{\"members\":[{\"action\":\"UPSERT\",\"externalUserId\":\"m-1\",\"userIdentity\":{}}]}")
                .post(path).then().statusCode(400).body("errors[0].errorMessage", containsString("UPSERT"));
        adm().contentType(MEMBERS_TYPE).body("{\"members\":[" + member("m-1", consent) + "]}")
                .post("/sandbox/adm/audiences/ds-unknown/members").then().statusCode(404);
        adm().contentType(MEMBERS_TYPE).body("{\"members\":[" + member("m-1", consent) + "]}")
                .post(path).then().statusCode(200).body("ingressId", notNullValue()).body("errors", nullValue());
    }

    @Test
    void membersWithoutConsentOrWithBadIdsAreRejectedOneByOne() {
        String id = dataSet("sandbox_consent_set");
        String granted = ",\"userConsent\":{\"consent\":{\"tcf\":\"CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA\"}}";
        String body = "{\"members\":[" + member("m-1", granted) + "," + member("m-2", "") + "," + member("bad id!", granted) + "]}";

        adm().contentType(MEMBERS_TYPE).body(body).post("/sandbox/adm/audiences/" + id + "/members").then().statusCode(200)
                .body("errors", hasSize(2))
                .body("errors[0].index", equalTo(1)).body("errors[0].details", containsString("UK/EEA"))
                .body("errors[1].index", equalTo(2)).body("errors[1].details", containsString("externalUserId"));
    }

    @Test
    void aDuplicateNameAnswers400WithTheExistingId() {
        String id = dataSet("sandbox_duplicate_set");
        adm().contentType("application/json").body("{\"name\":\"sandbox_duplicate_set\",\"countryCode\":\"US\"}")
                .post("/sandbox/adm/audiences").then().statusCode(400).body("datasetId", equalTo(id));
        adm().contentType("application/json").body("{\"name\":\"1x\",\"countryCode\":\"US\"}")
                .post("/sandbox/adm/audiences").then().statusCode(400);
    }

    @Test
    void bodiesOverTenMegabytesAre413() throws Exception {
        byte[] huge = new byte[10 * 1024 * 1024 + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        // Expect: 100-continue lets the server refuse on Content-Length before the client sends 10 MB.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/sandbox/adm/audiences/x/members"))
                .expectContinue(true).header("Authorization", "Bearer " + token()).header("Content-Type", MEMBERS_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
    }

    @Test
    void theControlApiInjectsFaultsAndShowsState() {
        given().contentType("application/json").body("{\"operation\":\"terms\",\"status\":429,\"times\":1,\"retryAfter\":9}")
                .post("/sandbox/_control/faults").then().statusCode(200);
        adm().get("/sandbox/adm/terms").then().statusCode(429).header("Retry-After", "9");
        adm().get("/sandbox/adm/terms").then().statusCode(200);
        given().get("/sandbox/_control/state").then().statusCode(200).body("counters.'faults.429'", notNullValue());
        given().get("/sandbox/_control/nothing-here").then().statusCode(404);
    }
}
