package io.admconnect.source;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stub Salesforce (WireMock) speaking OAuth (refresh token) and the REST query API, as Camel Quarkus
 * tests its own salesforce component. Until a test says otherwise, every query answers no records.
 */
public class SalesforceStub implements QuarkusTestResourceLifecycleManager {

    static final String QUERY_ALL_PATH = "/services/data/v[0-9.]+/queryAll/?";
    private static WireMockServer server;

    static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        stubLoginAndEmptyQueries();
        return Map.of("salesforce.login-url", server.baseUrl(),
                "salesforce.client-id", "sf-client",
                "salesforce.client-secret", "sf-secret",
                "salesforce.refresh-token", "sf-refresh-token",
                "salesforce.data-set", "crm_salesforce_test",
                "salesforce.poll-interval", "1h");
    }

    static void stubLoginAndEmptyQueries() {
        server.stubFor(post("/services/oauth2/token").willReturn(okJson("{\"access_token\":\"sf-access-token\",\"instance_url\":\""
                + server.baseUrl() + "\",\"id\":\"" + server.baseUrl() + "/id/00D000000000001AAA/005000000000001AAA\",\"token_type\":\"Bearer\","
                + "\"issued_at\":\"1700000000000\",\"signature\":\"c2ln\"}")));
        server.stubFor(get(urlPathMatching(QUERY_ALL_PATH)).atPriority(10)
                .willReturn(okJson("{\"totalSize\":0,\"done\":true,\"records\":[]}")));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
