package io.admconnect.adm;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code adm:} component: Amazon Ads Data Manager as a Camel endpoint. Options set on the component
 * are the defaults of every endpoint; endpoints with the same connection options share one
 * {@link AdmClient} and with it the access token and the data set cache.
 */
@Component("adm")
public class AdmComponent extends DefaultComponent {

    @Metadata(description = "Default options of every adm endpoint.")
    private AdmConfiguration configuration = new AdmConfiguration();

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<ConnectionKey, AdmClient> clients = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        AdmConfiguration endpointConfiguration = configuration.copy();
        if (remaining != null && !remaining.isBlank()) {
            endpointConfiguration.setOperation(parseOperation(remaining));
        }
        AdmEndpoint endpoint = new AdmEndpoint(uri, this, endpointConfiguration);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    private static AdmOperation parseOperation(String name) {
        try {
            return AdmOperation.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown adm operation '" + name + "'; use one of "
                    + Arrays.toString(AdmOperation.values()), e);
        }
    }

    /** The client of the endpoint's connection options, created on first use. */
    AdmClient client(AdmConfiguration endpointConfiguration) {
        return clients.computeIfAbsent(ConnectionKey.of(endpointConfiguration), key -> new AdmClient(endpointConfiguration, mapper));
    }

    /** The client of the component's own options, for provisioning outside routes. */
    public AdmClient defaultClient() {
        return client(configuration);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    @Override
    protected void doStop() throws Exception {
        clients.clear();
        super.doStop();
    }

    public AdmConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(AdmConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The options that make two endpoints talk to ADM as the same account with the same credentials. */
    private record ConnectionKey(String apiUrl, String authUrl, String clientId, String clientSecret, String refreshToken,
            String managerAccountId, String advertiserAccountId, long connectTimeout, long requestTimeout) {

        static ConnectionKey of(AdmConfiguration c) {
            return new ConnectionKey(c.resolvedApiUrl(), c.resolvedAuthUrl(), c.getClientId(), c.getClientSecret(),
                    c.getRefreshToken(), c.getManagerAccountId(), c.getAdvertiserAccountId(), c.getConnectTimeout(),
                    c.getRequestTimeout());
        }

        @Override
        public String toString() {
            return "ConnectionKey[" + apiUrl + "]";
        }
    }
}
