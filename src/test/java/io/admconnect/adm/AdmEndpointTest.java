package io.admconnect.adm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** URI and option parsing of the adm component, through the generated configurers (no reflection). */
class AdmEndpointTest {

    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void everyEndpointOptionIsParsed() {
        AdmEndpoint endpoint = context.getEndpoint("adm:createSharingRule?dataSet=crm_loyalty_us&dataSetId=ds-9"
                + "&countryCode=DE&idRetention=true&dataSetDescription=Loyalty&region=EU&apiUrl=http://localhost:1"
                + "&authUrl=http://localhost:2/token&clientId=cid&clientSecret=RAW(se+cr&t)&refreshToken=RAW(Atzr|x)"
                + "&managerAccountId=mgr&advertiserAccountId=adv&connectTimeout=3s&requestTimeout=2m&preflight=false"
                + "&application=AMAZON_MARKETING_CLOUD&destinationAccountId=dest&marketplaceId=A1PA6795UKMFR9"
                + "&audienceName=Loyalty%20members&audienceDescription=desc&amcInstanceId=amc-1&conversionDefinitionId=cd-1",
                AdmEndpoint.class);
        AdmConfiguration c = endpoint.getConfiguration();

        assertEquals(AdmOperation.createSharingRule, c.getOperation());
        assertEquals("crm_loyalty_us", c.getDataSet());
        assertEquals("ds-9", c.getDataSetId());
        assertEquals("DE", c.getCountryCode());
        assertEquals(Boolean.TRUE, c.getIdRetention());
        assertEquals("Loyalty", c.getDataSetDescription());
        assertEquals(AdmRegion.EU, c.getRegion());
        assertEquals("http://localhost:1", c.resolvedApiUrl());
        assertEquals("http://localhost:2/token", c.resolvedAuthUrl());
        assertEquals("cid", c.getClientId());
        assertEquals("se+cr&t", c.getClientSecret());
        assertEquals("Atzr|x", c.getRefreshToken());
        assertEquals("mgr", c.getManagerAccountId());
        assertEquals("adv", c.getAdvertiserAccountId());
        assertEquals(3_000, c.getConnectTimeout());
        assertEquals(120_000, c.getRequestTimeout());
        assertFalse(c.isPreflight());
        assertEquals("AMAZON_MARKETING_CLOUD", c.getApplication());
        assertEquals("dest", c.getDestinationAccountId());
        assertEquals("A1PA6795UKMFR9", c.getMarketplaceId());
        assertEquals("Loyalty members", c.getAudienceName());
        assertEquals("desc", c.getAudienceDescription());
        assertEquals("amc-1", c.getAmcInstanceId());
        assertEquals("cd-1", c.getConversionDefinitionId());
    }

    @Test
    void defaultsAreUploadMembersInNorthAmerica() {
        AdmConfiguration c = context.getEndpoint("adm:uploadMembers", AdmEndpoint.class).getConfiguration();

        assertEquals(AdmOperation.uploadMembers, c.getOperation());
        assertEquals(AdmRegion.NA, c.getRegion());
        assertEquals("https://advertising-api.amazon.com", c.resolvedApiUrl());
        assertEquals("https://api.amazon.com/auth/o2/token", c.resolvedAuthUrl());
        assertEquals("US", c.getCountryCode());
        assertEquals(10_000, c.getConnectTimeout());
        assertEquals(60_000, c.getRequestTimeout());
        assertTrue(c.isPreflight());
        assertNull(c.getIdRetention());
    }

    @Test
    void regionPicksBothHosts() {
        AdmConfiguration eu = context.getEndpoint("adm:uploadMembers?region=EU", AdmEndpoint.class).getConfiguration();
        AdmConfiguration fe = context.getEndpoint("adm:uploadMembers?region=FE", AdmEndpoint.class).getConfiguration();

        assertEquals("https://advertising-api-eu.amazon.com", eu.resolvedApiUrl());
        assertEquals("https://api.amazon.co.uk/auth/o2/token", eu.resolvedAuthUrl());
        assertEquals("https://advertising-api-fe.amazon.com", fe.resolvedApiUrl());
        assertEquals("https://api.amazon.co.jp/auth/o2/token", fe.resolvedAuthUrl());
    }

    @Test
    void componentOptionsAreEndpointDefaultsAndEndpointsOverrideThem() {
        AdmComponent component = context.getComponent("adm", AdmComponent.class);
        component.getConfiguration().setClientId("component-client");
        component.getConfiguration().setRegion(AdmRegion.FE);
        component.getConfiguration().setManagerAccountId("mgr");

        AdmConfiguration inherited = context.getEndpoint("adm:uploadMembers?dataSet=set_one", AdmEndpoint.class).getConfiguration();
        AdmConfiguration overridden = context.getEndpoint("adm:uploadMembers?dataSet=set_two&region=NA&managerAccountId=other",
                AdmEndpoint.class).getConfiguration();

        assertEquals("component-client", inherited.getClientId());
        assertEquals(AdmRegion.FE, inherited.getRegion());
        assertEquals("mgr", inherited.getManagerAccountId());
        assertEquals(AdmRegion.NA, overridden.getRegion());
        assertEquals("other", overridden.getManagerAccountId());
        assertEquals(AdmRegion.FE, component.getConfiguration().getRegion(), "endpoints do not change the component's options");
    }

    @Test
    void componentOptionsAreSetThroughTheGeneratedConfigurer() {
        AdmComponent component = new AdmComponent();
        context.addComponent("adm-configured", component);
        PropertyBindingSupport.build()
                .withCamelContext(context).withTarget(component).withReflection(false)
                .withProperties(new java.util.HashMap<>(Map.of("region", "EU", "clientId", "from-properties", "requestTimeout", "5s")))
                .bind();

        assertEquals(AdmRegion.EU, component.getConfiguration().getRegion());
        assertEquals("from-properties", component.getConfiguration().getClientId());
        assertEquals(5_000, component.getConfiguration().getRequestTimeout());
    }

    @Test
    void anUnknownOperationNamesTheValidOnes() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("adm:uploadEverything"));
        assertTrue(e.getCause().getMessage().contains("Unknown adm operation 'uploadEverything'"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("deleteIdentities"), e.getCause().getMessage());
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint("adm:uploadMembers?dataSett=typo"));
    }

    @Test
    void theUriFactoryBuildsUrisAndKnowsTheSecrets() throws Exception {
        EndpointUriFactory factory = context.getCamelContextExtension().getEndpointUriFactory("adm");

        assertEquals("adm:uploadMembers?dataSet=crm_loyalty_us",
                factory.buildUri("adm", Map.of("operation", "uploadMembers", "dataSet", "crm_loyalty_us")));
        assertEquals(java.util.Set.of("clientId", "clientSecret", "refreshToken"), factory.secretPropertyNames());
        assertTrue(factory.propertyNames().contains("managerAccountId"));
    }

    @Test
    void theEndpointOnlyProduces() {
        AdmEndpoint endpoint = context.getEndpoint("adm:uploadMembers", AdmEndpoint.class);
        assertThrows(UnsupportedOperationException.class, () -> endpoint.createConsumer(exchange -> { }));
    }
}
