package io.admconnect.adm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** Performs the endpoint's {@link AdmOperation} (or the one in the {@code AdmOperation} header). */
public class AdmProducer extends DefaultProducer {

    public AdmProducer(AdmEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public AdmEndpoint getEndpoint() {
        return (AdmEndpoint) super.getEndpoint();
    }

    private AdmConfiguration configuration() {
        return getEndpoint().getConfiguration();
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        AdmOperation operation = in.getHeader(AdmConstants.OPERATION, configuration().getOperation(), AdmOperation.class);
        AdmClient client = getEndpoint().client();
        if (configuration().isPreflight()) {
            client.preflight();
        }
        switch (operation) {
            case uploadMembers -> uploadMembers(client, in);
            case deleteIdentities -> in.setBody(client.deleteIdentities(externalUserIds(in.getBody())));
            case ensureDataSet -> in.setBody(dataSetId(client, in));
            case createSharingRule -> in.setBody(asMap(client.ensureSharingRule(dataSetId(client, in), sharingRule(in))));
            case listDataSets -> in.setBody(client.listDataSets().stream().map(this::asMap).toList());
            case dataSetMetrics -> in.setBody(asMap(client.dataSetMetrics(dataSetId(client, in))));
        }
    }

    private void uploadMembers(AdmClient client, Message in) {
        MemberPayload payload = MemberPayload.of(in.getBody(), getEndpoint().getComponent().mapper());
        String dataSetId = dataSetId(client, in);
        UploadResult result;
        try {
            result = client.uploadMembers(dataSetId, payload.json(), payload.memberCount());
        } catch (AdmRejectedException e) {
            // A 404 means the cached id went stale (the data set was deleted): resolve the name once more.
            if (e.getStatus() != 404 || configuration().getDataSetId() != null) {
                throw e;
            }
            client.forgetDataSet(dataSetName(in));
            dataSetId = dataSetId(client, in);
            result = client.uploadMembers(dataSetId, payload.json(), payload.memberCount());
        }
        in.setHeader(AdmConstants.INGRESS_ID, result.ingressId());
        in.setHeader(AdmConstants.ACCEPTED_COUNT, result.accepted());
        in.setHeader(AdmConstants.REJECTED_COUNT, result.rejected().size());
        in.setHeader(AdmConstants.REQUEST_ID, result.requestId());
        in.setBody(result);
    }

    private String dataSetId(AdmClient client, Message in) {
        String explicitId = configuration().getDataSetId();
        String id = explicitId != null ? explicitId
                : client.resolveDataSet(new AdmClient.DataSetSpec(dataSetName(in), configuration().getCountryCode(),
                        configuration().getDataSetDescription(), configuration().getIdRetention()));
        in.setHeader(AdmConstants.DATA_SET_ID, id);
        return id;
    }

    private String dataSetName(Message in) {
        String name = in.getHeader(AdmConstants.DATA_SET, configuration().getDataSet(), String.class);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("The adm endpoint needs a data set: set the dataSet option or the "
                    + AdmConstants.DATA_SET + " header");
        }
        return name;
    }

    private AdmClient.SharingRuleSpec sharingRule(Message in) {
        AdmConfiguration c = configuration();
        if (c.getApplication() == null || c.getDestinationAccountId() == null || c.getMarketplaceId() == null) {
            throw new IllegalArgumentException("createSharingRule needs the application, destinationAccountId and marketplaceId options");
        }
        String audienceName = c.getAudienceName() != null ? c.getAudienceName() : dataSetName(in);
        return new AdmClient.SharingRuleSpec(c.getApplication(), c.getDestinationAccountId(), c.getMarketplaceId(),
                audienceName, c.getAudienceDescription(), c.getAmcInstanceId(), c.getConversionDefinitionId());
    }

    /** External user ids from a collection of ids or members, or a single id. */
    private static List<String> externalUserIds(Object body) {
        List<String> ids = new ArrayList<>();
        if (body instanceof Collection<?> items) {
            for (Object item : items) {
                ids.add(item instanceof AdmMember member ? member.externalUserId() : String.valueOf(item));
            }
        } else if (body instanceof AdmMember member) {
            ids.add(member.externalUserId());
        } else if (body instanceof String id && !id.isBlank()) {
            ids.add(id);
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("deleteIdentities needs external user ids in the body");
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(JsonNode node) {
        return getEndpoint().getComponent().mapper().convertValue(node, Map.class);
    }
}
