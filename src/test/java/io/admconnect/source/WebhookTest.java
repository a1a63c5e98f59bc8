package io.admconnect.source;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.admconnect.normalize.IdentityField;
import io.admconnect.normalize.IdentityNormalizer;
import io.admconnect.sandbox.AdmSandbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The shipped webhook route over real HTTP, followed into the ADM sandbox. */
@QuarkusTest
class WebhookTest {

    private static final String SECRET = "test-webhook-secret";
    private static final String DATA_SET = "crm_webhook_test";

    @Inject
    AdmSandbox sandbox;

    static String sign(String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ValidatableResponse post(String body) {
        return given().contentType("application/json").header("X-Signature-256", sign(body, SECRET)).body(body)
                .post("/webhooks/crm").then();
    }

    private AdmSandbox.StoredMember stored(String externalUserId) {
        AdmSandbox.DataSet set = sandbox.dataSet(DATA_SET);
        return set == null ? null : set.members().get(externalUserId);
    }

    @Test
    void signedRecordsAreAcceptedAndReachAdmHashed() {
        String body = "[{\"externalUserId\":\"wh-1\",\"email\":\" A.B+tag@Example.com \",\"phone\":\"(571) 412-0599\","
                + "\"consent\":{\"userData\":\"GRANTED\",\"adStorage\":\"yes\"}},"
                + "{\"externalUserId\":\"wh-2\",\"email\":\"noconsent@example.com\"},"
                + "{\"externalUserId\":\"wh 3\",\"email\":\"x@example.com\",\"consent\":{\"userData\":\"GRANTED\"}},"
                + "42,"
                + "{\"externalUserId\":\"wh-5\",\"email\":\"leaving@example.com\",\"consent\":{\"userData\":\"DENIED\"}}]";

        post(body).statusCode(202)
                .body("trackingId", matchesPattern("[0-9a-f-]{36}"))
                .body("accepted", equalTo(2))
                .body("rejected.index", equalTo(java.util.List.of(1, 2, 3)))
                .body("rejected.reason", equalTo(java.util.List.of("no_consent", "invalid_external_user_id", "malformed_record")));

        await().atMost(Duration.ofSeconds(20)).until(() -> stored("wh-1") != null && stored("wh-5") != null);
        String emailHash = IdentityNormalizer.amazon().hash(IdentityField.EMAIL, "a.btag@example.com", "US");
        assertEquals("{\"action\":\"CREATE\",\"externalUserId\":\"wh-1\",\"userIdentity\":{\"hashedPiis\":[{\"em\":\"" + emailHash
                + "\",\"ph\":\"" + IdentityNormalizer.amazon().hash(IdentityField.PHONE, "15714120599", "US") + "\"}]},"
                + "\"userConsent\":{\"geo\":{\"countryCode\":\"US\"},\"consent\":{\"amzn\":{\"amznAdStorage\":\"GRANTED\","
                + "\"amznUserData\":\"GRANTED\"}}}}", stored("wh-1").member().toString());
        assertEquals("DELETE", stored("wh-5").action());
        assertEquals("GRANTED", stored("wh-5").member().path("userConsent").path("consent").path("amzn").path("amznUserData").asText());
    }

    @Test
    void theRecordsEnvelopeAndASingleObjectAreAccepted() {
        post("{\"records\":[{\"externalUserId\":\"wh-env\",\"email\":\"env@example.com\",\"consent.userData\":\"GRANTED\"}]}")
                .statusCode(202).body("accepted", equalTo(1));
        post("{\"externalUserId\":\"wh-single\",\"email\":\"single@example.com\",\"consent\":{\"tcf\":\"CPXxRfAPXxRfA\"}}")
                .statusCode(202).body("accepted", equalTo(1)).body("rejected.size()", equalTo(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("wh-env") != null && stored("wh-single") != null);
    }

    @Test
    void unsignedOrWronglySignedRequestsAre401() {
        String body = "{\"externalUserId\":\"wh-x\",\"email\":\"x@example.com\",\"consent.userData\":\"GRANTED\"}";
        given().contentType("application/json").body(body).post("/webhooks/crm").then().statusCode(401)
                .body("message", equalTo("Missing X-Signature-256 header"));
        given().contentType("application/json").header("X-Signature-256", sign(body, "another-secret")).body(body)
                .post("/webhooks/crm").then().statusCode(401);
        given().contentType("application/json").header("X-Signature-256", sign(body + " ", SECRET)).body(body)
                .post("/webhooks/crm").then().statusCode(401);
        assertEquals(null, stored("wh-x"));
    }

    @Test
    void bodiesThatAreNotRecordsAre400() {
        post("not json").statusCode(400);
        post("42").statusCode(400);
        post("\"text\"").statusCode(400);
        post("[".repeat(100) + "]".repeat(100)).statusCode(400);
        String body = "{\"externalUserId\":\"wh-form\"}";
        given().contentType("application/x-www-form-urlencoded").header("X-Signature-256", sign(body, SECRET)).body(body)
                .post("/webhooks/crm").then().statusCode(400).body("message", containsString("application/json"));
    }

    @Test
    void answersNeverEchoSubmittedValues() {
        post("[{\"externalUserId\":\"canary-7f3a\",\"email\":\"canary-7f3a@example.com\"}]").statusCode(202)
                .body(not(containsString("canary")));
    }

    @Test
    void onlyPostIsServed() {
        given().get("/webhooks/crm").then().statusCode(405);
    }

    @Test
    void bodiesOverTenMegabytesAre413() throws Exception {
        byte[] huge = new byte[10 * 1024 * 1024 + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/webhooks/crm"))
                .expectContinue(true).header("Content-Type", "application/json").header("X-Signature-256", "sha256=00")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
    }
}
