package io.admconnect.adm;

import org.apache.camel.spi.Metadata;

/** Exchange headers read and written by the {@code adm:} component. */
public final class AdmConstants {

    @Metadata(description = "Overrides the endpoint's operation for this exchange.", javaType = "io.admconnect.adm.AdmOperation")
    public static final String OPERATION = "AdmOperation";
    @Metadata(description = "Overrides the endpoint's data set name for this exchange.", javaType = "String")
    public static final String DATA_SET = "AdmDataSet";
    @Metadata(description = "The resolved ADM data set id.", javaType = "String")
    public static final String DATA_SET_ID = "AdmDataSetId";
    @Metadata(description = "The ingressId ADM returned for an upload.", javaType = "String")
    public static final String INGRESS_ID = "AdmIngressId";
    @Metadata(description = "How many members of an upload ADM accepted.", javaType = "int")
    public static final String ACCEPTED_COUNT = "AdmAcceptedCount";
    @Metadata(description = "How many members of an upload ADM rejected (listed in the result's rejected members).", javaType = "int")
    public static final String REJECTED_COUNT = "AdmRejectedCount";
    @Metadata(description = "The Amazon-Advertising-API-RequestId of the last ADM response.", javaType = "String")
    public static final String REQUEST_ID = "AdmRequestId";

    /** Amazon's response header that identifies a request; every error names it. */
    public static final String AMAZON_REQUEST_ID_HEADER = "Amazon-Advertising-API-RequestId";
    public static final String CLIENT_ID_HEADER = "Amazon-Advertising-API-ClientId";
    public static final String MANAGER_ACCOUNT_HEADER = "Amazon-Ads-Manager-Account-ID";
    public static final String ADVERTISER_ACCOUNT_HEADER = "Amazon-Ads-AccountId";
    public static final String MEMBERS_CONTENT_TYPE = "application/vnd.admAudiences.v1+json";
    public static final String DELETION_CONTENT_TYPE = "application/vnd.admDataDeletion.v1+json";
    public static final String METRICS_CONTENT_TYPE = "application/vnd.admmetrics.v1+json";

    /** ADM accepts 1..10,000 members and at most 10 MB per upload. */
    public static final int MAX_MEMBERS_PER_UPLOAD = 10_000;
    public static final int MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
    /** ADM erases at most 1,000 identities per deletion request. */
    public static final int MAX_IDENTITIES_PER_DELETION = 1_000;

    private AdmConstants() {
    }
}
