package io.admconnect.adm;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Upload audience members to, and manage data sets and sharing rules of, Amazon Ads Data Manager.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "adm", title = "Amazon Ads Data Manager", syntax = "adm:operation",
        producerOnly = true, category = { Category.CLOUD, Category.SAAS }, headersClass = AdmConstants.class)
public class AdmEndpoint extends DefaultEndpoint {

    @UriParam
    private AdmConfiguration configuration;

    public AdmEndpoint(String uri, AdmComponent component, AdmConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public AdmComponent getComponent() {
        return (AdmComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new AdmProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("The adm component only sends to ADM; it has no consumer");
    }

    AdmClient client() {
        return getComponent().client(configuration);
    }

    public AdmConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(AdmConfiguration configuration) {
        this.configuration = configuration;
    }
}
