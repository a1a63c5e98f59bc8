package io.admconnect.adm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.admconnect.sandbox.OpenApiContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ADM client against a WireMock ADM: exact requests, token handling and failure typing. After each
 * test every ADM request the client sent is checked against Amazon's OpenAPI file.
 */
class AdmClientTest {

    private static final String MEMBERS = "/adm/audiences/ds-1/members";
    private static final String MEMBER_JSON = "{\"action\":\"CREATE\",\"externalUserId\":\"crm-1\",\"userIdentity\":{\"hashedPiis\":[{\"em\":\""
            + "a".repeat(64) + "\"}]},\"userConsent\":{\"consent\":{\"amzn\":{\"amznAdStorage\":\"GRANTED\",\"amznUserData\":\"GRANTED\"}}}}";

    private final ObjectMapper mapper = new ObjectMapper();
    private final OpenApiContract contract = new OpenApiContract();
    private WireMockServer adm;
    private MutableClock clock;
    private AdmClient client;

    @BeforeEach
    void start() {
        adm = new WireMockServer(options().dynamicPort());
        adm.start();
        clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        client = new AdmClient(configuration(), mapper, clock);
        stubToken("Atza|first", 3600);
    }

    @AfterEach
    void stopAndCheckContract() {
        try {
            List<String> violations = new ArrayList<>();
            for (ServeEvent event : adm.getAllServeEvents()) {
                String url = event.getRequest().getUrl();
                if (!url.startsWith("/adm/")) {
                    continue;
                }
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                event.getRequest().getHeaders().all().forEach(h -> headers.put(h.key(), h.firstValue()));
                int q = url.indexOf('?');
                Map<String, String> query = new TreeMap<>();
                if (q >= 0) {
                    for (String pair : url.substring(q + 1).split("&")) {
                        String[] kv = pair.split("=", 2);
                        query.put(kv[0], kv.length > 1 ? kv[1] : "");
                    }
                }
                contract.check(event.getRequest().getMethod().getName(), q < 0 ? url : url.substring(0, q), query, headers,
                        event.getRequest().getBody()).forEach(v -> violations.add(url + ": " + v));
            }
            assertEquals(List.of(), violations, "every request must conform to adm-openapi.json");
        } finally {
            adm.stop();
        }
    }

    private AdmConfiguration configuration() {
        AdmConfiguration c = new AdmConfiguration();
        c.setApiUrl(adm.baseUrl());
        c.setAuthUrl(adm.baseUrl() + "/auth/o2/token");
        c.setClientId("amzn1.application-oa2-client.test");
        c.setClientSecret("s3cret");
        c.setRefreshToken("Atzr|refresh");
        c.setManagerAccountId("amzn1.ads-account.g.manager");
        c.setRequestTimeout(1_000);
        return c;
    }

    private void stubToken(String accessToken, int expiresIn) {
        adm.stubFor(post("/auth/o2/token").willReturn(okJson("{\"access_token\":\"" + accessToken
                + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn + ",\"refresh_token\":\"Atzr|refresh\"}")));
    }

    private UploadResult upload() {
        return client.uploadMembers("ds-1", ("{\"members\":[" + MEMBER_JSON + "]}").getBytes(StandardCharsets.UTF_8), 1);
    }

    private int tokenCalls() {
        return adm.findAll(postRequestedFor(urlEqualTo("/auth/o2/token"))).size();
    }

    @Test
    void uploadSendsTheExactBodyAndHeadersAndMapsRejectedMembers() {
        adm.stubFor(post(MEMBERS).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", AdmConstants.MEMBERS_CONTENT_TYPE)
                .withHeader(AdmConstants.AMAZON_REQUEST_ID_HEADER, "req-42")
                .withBody("{\"ingressId\":\"ing-1\",\"errors\":[{\"index\":0,\"code\":\"400\",\"details\":\"bad hash\"}]}")));

        UploadResult result = upload();

        adm.verify(postRequestedFor(urlEqualTo(MEMBERS))
                .withHeader("Authorization", equalTo("Bearer Atza|first"))
                .withHeader("Amazon-Advertising-API-ClientId", equalTo("amzn1.application-oa2-client.test"))
                .withHeader("Amazon-Ads-Manager-Account-ID", equalTo("amzn1.ads-account.g.manager"))
                .withHeader("Content-Type", equalTo("application/vnd.admAudiences.v1+json"))
                .withRequestBody(equalToJson("{\"members\":[" + MEMBER_JSON + "]}")));
        adm.verify(postRequestedFor(urlEqualTo("/auth/o2/token"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withoutHeader("Authorization")
                .withRequestBody(equalTo("grant_type=refresh_token&refresh_token=Atzr%7Crefresh"
                        + "&client_id=amzn1.application-oa2-client.test&client_secret=s3cret")));
        assertEquals("ing-1", result.ingressId());
        assertEquals("req-42", result.requestId());
        assertEquals(1, result.sent());
        assertEquals(0, result.accepted());
        assertEquals(List.of(new UploadResult.RejectedMember(0, "400", "bad hash")), result.rejected());
    }

    @Test
    void advertiserAccountIsSentWhenNoManagerAccountIsSet() {
        AdmConfiguration c = configuration();
        c.setManagerAccountId(null);
        c.setAdvertiserAccountId("dsp-advertiser-1");
        adm.stubFor(get("/adm/datarooms").willReturn(okJson("{\"accountId\":\"a\",\"creationDateTime\":\"2026-01-01T00:00:00Z\"}")));
        adm.stubFor(get("/adm/terms").willReturn(okJson("{\"hasAccepted\":true}")));

        new AdmClient(c, mapper, clock).preflight();

        adm.verify(getRequestedFor(urlEqualTo("/adm/terms")).withHeader("Amazon-Ads-AccountId", equalTo("dsp-advertiser-1"))
                .withoutHeader("Amazon-Ads-Manager-Account-ID"));
    }

    @Test
    void tokenIsReusedUntilShortlyBeforeExpiryThenRefreshed() {
        adm.stubFor(post(MEMBERS).willReturn(okJson("{\"ingressId\":\"i\"}")));
        upload();
        clock.advance(Duration.ofSeconds(3500));
        upload();
        assertEquals(1, tokenCalls(), "a token valid for another 100 s is reused");

        clock.advance(Duration.ofSeconds(50));
        upload();
        assertEquals(2, tokenCalls(), "a token within a minute of expiry is refreshed before use");
    }

    @Test
    void concurrentCallersShareOneRefresh() throws Exception {
        adm.stubFor(post("/auth/o2/token").willReturn(okJson("{\"access_token\":\"Atza|slow\",\"expires_in\":3600}")
                .withFixedDelay(300)));
        adm.stubFor(post(MEMBERS).willReturn(okJson("{\"ingressId\":\"i\"}")));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<UploadResult>> uploads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            uploads.add(pool.submit(() -> {
                go.await();
                return upload();
            }));
        }
        go.countDown();
        for (Future<UploadResult> upload : uploads) {
            assertEquals("i", upload.get().ingressId());
        }
        pool.shutdown();
        assertEquals(1, tokenCalls());
        assertEquals(8, adm.findAll(postRequestedFor(urlEqualTo(MEMBERS))).size());
    }

    @Test
    void a401RefreshesTheTokenOnceAndRetriesOnce() {
        adm.stubFor(post(MEMBERS).inScenario("expired").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401).withBody("{\"code\":\"401\",\"message\":\"Unauthorized\"}"))
                .willSetStateTo("refreshed"));
        adm.stubFor(post(MEMBERS).inScenario("expired").whenScenarioStateIs("refreshed")
                .willReturn(okJson("{\"ingressId\":\"after-refresh\"}")));

        assertEquals("after-refresh", upload().ingressId());
        assertEquals(2, tokenCalls());
        assertEquals(2, adm.findAll(postRequestedFor(urlEqualTo(MEMBERS))).size());
    }

    @Test
    void a401AfterTheRefreshIsAnAuthError() {
        adm.stubFor(post(MEMBERS).willReturn(aResponse().withStatus(401)
                .withHeader(AdmConstants.AMAZON_REQUEST_ID_HEADER, "req-401").withBody("{\"code\":\"401\",\"message\":\"Unauthorized\"}")));

        AdmAuthException e = assertThrows(AdmAuthException.class, this::upload);
        assertEquals(401, e.getStatus());
        assertEquals("req-401", e.getRequestId());
        assertTrue(e.getMessage().contains("req-401"), e.getMessage());
        assertEquals(2, adm.findAll(postRequestedFor(urlEqualTo(MEMBERS))).size(), "retried exactly once");
    }

    @Test
    void invalidGrantTellsTheOperatorToReauthorize() {
        adm.stubFor(post("/auth/o2/token").willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"The request has an invalid grant parameter\"}")));

        AdmAuthException e = assertThrows(AdmAuthException.class, this::upload);
        assertTrue(e.getMessage().contains("invalid_grant") && e.getMessage().contains("ADM_REFRESH_TOKEN"), e.getMessage());
        assertFalse(e.getMessage().contains("Atzr|refresh"), "the refresh token never appears in a message");
        assertEquals(0, adm.findAll(postRequestedFor(urlEqualTo(MEMBERS))).size());
    }

    @Test
    void invalidClientNamesTheClientSettings() {
        adm.stubFor(post("/auth/o2/token").willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}")));

        AdmAuthException e = assertThrows(AdmAuthException.class, this::upload);
        assertTrue(e.getMessage().contains("ADM_CLIENT_ID") && e.getMessage().contains("ADM_CLIENT_SECRET"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void throttlingCarriesRetryAfterAndTheRequestId() {
        adm.stubFor(post(MEMBERS).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                .withHeader(AdmConstants.AMAZON_REQUEST_ID_HEADER, "req-429")
                .withBody("{\"code\":\"429\",\"message\":\"Too Many Requests\"}")));

        AdmThrottledException e = assertThrows(AdmThrottledException.class, this::upload);
        assertEquals(Duration.ofSeconds(7), e.getRetryAfter());
        assertEquals("req-429", e.getRequestId());
        assertTrue(e.getMessage().contains("answered 429 (requestId req-429): Too Many Requests"), e.getMessage());
    }

    @Test
    void serverErrorsAndTimeoutsAreTransient() {
        adm.stubFor(post(MEMBERS).willReturn(aResponse().withStatus(503).withHeader(AdmConstants.AMAZON_REQUEST_ID_HEADER, "req-503")));
        AdmTransientException unavailable = assertThrows(AdmTransientException.class, this::upload);
        assertEquals(503, unavailable.getStatus());
        assertEquals("req-503", unavailable.getRequestId());

        adm.stubFor(post(MEMBERS).willReturn(okJson("{\"ingressId\":\"late\"}").withFixedDelay(2_000)));
        AdmTransientException timeout = assertThrows(AdmTransientException.class, this::upload);
        assertEquals(0, timeout.getStatus());
        assertTrue(timeout.getMessage().contains("timed out after 1000 ms"), timeout.getMessage());
    }

    @Test
    void otherClientErrorsAreRejectionsAnd403IsAnAuthError() {
        adm.stubFor(post(MEMBERS).willReturn(aResponse().withStatus(400)
                .withBody("{\"code\":\"400\",\"message\":\"members must not be empty\"}")));
        AdmRejectedException rejected = assertThrows(AdmRejectedException.class, this::upload);
        assertEquals(400, rejected.getStatus());
        assertEquals("400", rejected.getAmazonCode());

        adm.stubFor(post(MEMBERS).willReturn(aResponse().withStatus(403).withBody("{\"code\":\"403\",\"message\":\"Forbidden\"}")));
        AdmAuthException forbidden = assertThrows(AdmAuthException.class, this::upload);
        assertTrue(forbidden.getMessage().contains("ads_data_manager_edit"), forbidden.getMessage());
    }

    @Test
    void aDataSetIsFoundByNameAcrossPages() {
        adm.stubFor(get(urlEqualTo("/adm/audiences?limit=100")).willReturn(okJson(
                "{\"dataSets\":[{\"dataSetId\":\"ds-a\",\"name\":\"other_set\"}],\"nextToken\":\"p2\"}")));
        adm.stubFor(get(urlEqualTo("/adm/audiences?limit=100&nextToken=p2")).willReturn(okJson(
                "{\"dataSets\":[{\"dataSetId\":\"ds-b\",\"name\":\"crm_loyalty_us\"}]}")));

        assertEquals("ds-b", client.resolveDataSet(new AdmClient.DataSetSpec("crm_loyalty_us", "US", null, null)));
        assertEquals("ds-b", client.resolveDataSet(new AdmClient.DataSetSpec("crm_loyalty_us", "US", null, null)));
        assertEquals(2, adm.findAll(getRequestedFor(urlPathEqualTo("/adm/audiences"))).size(), "the id is cached");
    }

    @Test
    void aMissingDataSetIsCreatedAndADuplicateNameMeansItExists() {
        adm.stubFor(get(urlEqualTo("/adm/audiences?limit=100")).willReturn(okJson("{\"dataSets\":[]}")));
        adm.stubFor(post("/adm/audiences").withRequestBody(equalToJson("{\"name\":\"crm_new_set\",\"countryCode\":\"DE\",\"idRetention\":true}"))
                .willReturn(aResponse().withStatus(201).withBody("{\"dataSetId\":\"ds-new\",\"name\":\"crm_new_set\"}")));
        adm.stubFor(post("/adm/audiences").withRequestBody(equalToJson("{\"name\":\"crm_raced\",\"countryCode\":\"US\"}"))
                .willReturn(aResponse().withStatus(400).withBody(
                        "{\"code\":\"400\",\"message\":\"Dataset with this name already exists\",\"datasetId\":\"ds-existing\"}")));

        assertEquals("ds-new", client.resolveDataSet(new AdmClient.DataSetSpec("crm_new_set", "DE", null, true)));
        assertEquals("ds-existing", client.resolveDataSet(new AdmClient.DataSetSpec("crm_raced", "US", null, null)));
    }

    @Test
    void anInvalidDataSetNameIsRefusedBeforeAnyCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.resolveDataSet(new AdmClient.DataSetSpec("1bad name", "US", null, null)));
        assertTrue(e.getMessage().contains("5 to 100 characters"), e.getMessage());
        assertEquals(0, adm.getAllServeEvents().size());
    }

    @Test
    void preflightFailsFastWhenTheTermsAreNotAccepted() {
        adm.stubFor(get("/adm/terms").willReturn(okJson("{\"agreementToken\":\"tok\",\"hasAccepted\":false}")
                .withHeader(AdmConstants.AMAZON_REQUEST_ID_HEADER, "req-terms")));

        AdmPreflightException e = assertThrows(AdmPreflightException.class, client::preflight);
        assertTrue(e.getMessage().contains("terms are not accepted") && e.getMessage().contains("PATCH /adm/terms"), e.getMessage());
        assertEquals("req-terms", e.getRequestId());
        assertFalse(client.isPreflightDone());
        assertEquals(0, adm.findAll(getRequestedFor(urlEqualTo("/adm/datarooms"))).size());
    }

    @Test
    void preflightCreatesAMissingDataRoomOnce() {
        adm.stubFor(get("/adm/terms").willReturn(okJson("{\"hasAccepted\":true}")));
        adm.stubFor(get("/adm/datarooms").willReturn(aResponse().withStatus(404).withBody("{\"code\":\"404\",\"message\":\"Not found\"}")));
        adm.stubFor(post("/adm/datarooms").willReturn(aResponse().withStatus(201)
                .withBody("{\"accountId\":\"a\",\"creationDateTime\":\"2026-11-23T10:00:00Z\"}")));

        client.preflight();
        client.preflight();

        assertTrue(client.isPreflightDone());
        assertEquals(1, adm.findAll(postRequestedFor(urlEqualTo("/adm/datarooms"))).size());
        assertEquals(1, adm.findAll(getRequestedFor(urlEqualTo("/adm/terms"))).size());
    }

    @Test
    void sharingRuleIsCreatedOnlyWhenNoLiveRuleExists() {
        adm.stubFor(post("/adm/sharingRules/list").inScenario("rules").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"sharingRules\":[]}")));
        adm.stubFor(post("/adm/sharingRules").inScenario("rules").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"sharingRuleId\":\"sr-1\",\"status\":\"ACTIVE\"}")).willSetStateTo("created"));
        adm.stubFor(post("/adm/sharingRules/list").inScenario("rules").whenScenarioStateIs("created")
                .willReturn(okJson("{\"sharingRules\":[{\"sharingRuleId\":\"sr-1\",\"marketplaceId\":\"ATVPDKIKX0DER\",\"status\":\"ACTIVE\"}]}")));
        AdmClient.SharingRuleSpec dsp = new AdmClient.SharingRuleSpec("DSP_AUDIENCES", "dsp-1", "ATVPDKIKX0DER",
                "CRM loyalty members", null, null, null);

        assertEquals("sr-1", client.ensureSharingRule("ds-1", dsp).path("sharingRuleId").asText());
        assertEquals("sr-1", client.ensureSharingRule("ds-1", dsp).path("sharingRuleId").asText());

        adm.verify(1, postRequestedFor(urlEqualTo("/adm/sharingRules")).withRequestBody(equalToJson(
                "{\"application\":\"DSP_AUDIENCES\",\"dataSetId\":\"ds-1\",\"destinationAccountId\":\"dsp-1\","
                        + "\"marketplaceId\":\"ATVPDKIKX0DER\",\"metadata\":{\"audienceMetadata\":{\"audienceName\":\"CRM loyalty members\"}}}")));
        adm.verify(postRequestedFor(urlEqualTo("/adm/sharingRules/list")).withRequestBody(equalToJson(
                "{\"datasetIds\":[\"ds-1\"],\"application\":\"DSP_AUDIENCES\",\"destinationAccountId\":\"dsp-1\"}")));
    }

    @Test
    void identitiesAreErasedInChunksOfAThousand() throws Exception {
        adm.stubFor(post("/adm/identities/delete").willReturn(aResponse().withStatus(200)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            ids.add("crm-" + i);
        }

        assertEquals(2_500, client.deleteIdentities(ids));

        List<ServeEvent> calls = adm.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/adm/identities/delete")).toList();
        assertEquals(3, calls.size());
        adm.verify(postRequestedFor(urlEqualTo("/adm/identities/delete"))
                .withHeader("Content-Type", equalTo("application/vnd.admDataDeletion.v1+json")));
        int sent = 0;
        for (ServeEvent call : calls) {
            sent += mapper.readTree(call.getRequest().getBodyAsString()).path("targetIdentities").size();
        }
        assertEquals(2_500, sent);
    }

    @Test
    void missingCredentialsAreNamed() {
        AdmConfiguration c = configuration();
        c.setRefreshToken(null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdmClient(c, mapper));
        assertTrue(e.getMessage().contains("ADM_REFRESH_TOKEN"), e.getMessage());
    }

    /** A clock tests move forward by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
