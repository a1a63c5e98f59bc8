package io.admconnect.adm;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of the {@code adm:} component. Set on the component they are the defaults of every endpoint;
 * an endpoint URI overrides them one by one.
 */
@UriParams
public class AdmConfiguration implements Cloneable {

    @UriPath(description = "The operation to perform.", defaultValue = "uploadMembers")
    @Metadata(required = true)
    private AdmOperation operation = AdmOperation.uploadMembers;

    @UriParam(description = "Name of the data set (audience) the endpoint works on; resolved to its id and created when missing.")
    private String dataSet;
    @UriParam(label = "advanced", description = "Id of the data set, when it is known; skips resolving the name.")
    private String dataSetId;
    @UriParam(defaultValue = "US", description = "ISO 3166 alpha-2 country of data sets this component creates.")
    private String countryCode = "US";
    @UriParam(description = "Whether data sets this component creates retain hashed data for 90 days (idRetention).")
    private Boolean idRetention;
    @UriParam(description = "Description of data sets this component creates.")
    private String dataSetDescription;

    @UriParam(defaultValue = "NA", description = "Amazon Ads region: picks the API host and the Login with Amazon token endpoint.")
    private AdmRegion region = AdmRegion.NA;
    @UriParam(label = "advanced", description = "Overrides the API base URL of the region.")
    private String apiUrl;
    @UriParam(label = "advanced", description = "Overrides the Login with Amazon token URL of the region.")
    private String authUrl;

    @UriParam(label = "security", secret = true, description = "Login with Amazon client id.")
    private String clientId;
    @UriParam(label = "security", secret = true, description = "Login with Amazon client secret.")
    private String clientSecret;
    @UriParam(label = "security", secret = true, description = "Login with Amazon refresh token (Atzr|...).")
    private String refreshToken;
    @UriParam(label = "security", description = "Manager account id, sent as Amazon-Ads-Manager-Account-ID.")
    private String managerAccountId;
    @UriParam(label = "security", description = "DSP advertiser account id, sent as Amazon-Ads-AccountId when no manager account is set.")
    private String advertiserAccountId;

    @UriParam(label = "advanced", defaultValue = "10000", javaType = "java.time.Duration", description = "Connect timeout of ADM and LWA calls.")
    private long connectTimeout = 10_000;
    @UriParam(label = "advanced", defaultValue = "60000", javaType = "java.time.Duration", description = "Timeout of one ADM or LWA call.")
    private long requestTimeout = 60_000;
    @UriParam(defaultValue = "true", description = "Check before the first call that the ADM terms are accepted and the data room exists (creating it when missing).")
    private boolean preflight = true;

    @UriParam(label = "sharing", description = "Application a sharing rule activates the data set in: DSP_AUDIENCES, AMAZON_MARKETING_CLOUD, EVENTS_MANAGER, ...")
    private String application;
    @UriParam(label = "sharing", description = "Account the sharing rule shares the data set with.")
    private String destinationAccountId;
    @UriParam(label = "sharing", description = "Marketplace the sharing rule shares the data set with.")
    private String marketplaceId;
    @UriParam(label = "sharing", description = "Audience name of the sharing rule (10..127 characters); defaults to the data set name.")
    private String audienceName;
    @UriParam(label = "sharing", description = "Audience description of the sharing rule.")
    private String audienceDescription;
    @UriParam(label = "sharing", description = "AMC instance of an AMAZON_MARKETING_CLOUD sharing rule.")
    private String amcInstanceId;
    @UriParam(label = "sharing", description = "Conversion definition of an EVENTS_MANAGER sharing rule.")
    private String conversionDefinitionId;

    public AdmConfiguration copy() {
        try {
            return (AdmConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** The API base URL: the override, else the region's host. */
    public String resolvedApiUrl() {
        return stripTrailingSlash(apiUrl != null && !apiUrl.isBlank() ? apiUrl : region.apiUrl());
    }

    /** The token URL: the override, else the region's LWA endpoint. */
    public String resolvedAuthUrl() {
        return authUrl != null && !authUrl.isBlank() ? authUrl : region.authUrl();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public AdmOperation getOperation() {
        return operation;
    }

    public void setOperation(AdmOperation operation) {
        this.operation = operation;
    }

    public String getDataSet() {
        return dataSet;
    }

    public void setDataSet(String dataSet) {
        this.dataSet = dataSet;
    }

    public String getDataSetId() {
        return dataSetId;
    }

    public void setDataSetId(String dataSetId) {
        this.dataSetId = dataSetId;
    }

    public String getCountryCode() {
        return countryCode;
    }

    public void setCountryCode(String countryCode) {
        this.countryCode = countryCode;
    }

    public Boolean getIdRetention() {
        return idRetention;
    }

    public void setIdRetention(Boolean idRetention) {
        this.idRetention = idRetention;
    }

    public String getDataSetDescription() {
        return dataSetDescription;
    }

    public void setDataSetDescription(String dataSetDescription) {
        this.dataSetDescription = dataSetDescription;
    }

    public AdmRegion getRegion() {
        return region;
    }

    public void setRegion(AdmRegion region) {
        this.region = region;
    }

    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    public String getAuthUrl() {
        return authUrl;
    }

    public void setAuthUrl(String authUrl) {
        this.authUrl = authUrl;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public String getManagerAccountId() {
        return managerAccountId;
    }

    public void setManagerAccountId(String managerAccountId) {
        this.managerAccountId = managerAccountId;
    }

    public String getAdvertiserAccountId() {
        return advertiserAccountId;
    }

    public void setAdvertiserAccountId(String advertiserAccountId) {
        this.advertiserAccountId = advertiserAccountId;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public boolean isPreflight() {
        return preflight;
    }

    public void setPreflight(boolean preflight) {
        this.preflight = preflight;
    }

    public String getApplication() {
        return application;
    }

    public void setApplication(String application) {
        this.application = application;
    }

    public String getDestinationAccountId() {
        return destinationAccountId;
    }

    public void setDestinationAccountId(String destinationAccountId) {
        this.destinationAccountId = destinationAccountId;
    }

    public String getMarketplaceId() {
        return marketplaceId;
    }

    public void setMarketplaceId(String marketplaceId) {
        this.marketplaceId = marketplaceId;
    }

    public String getAudienceName() {
        return audienceName;
    }

    public void setAudienceName(String audienceName) {
        this.audienceName = audienceName;
    }

    public String getAudienceDescription() {
        return audienceDescription;
    }

    public void setAudienceDescription(String audienceDescription) {
        this.audienceDescription = audienceDescription;
    }

    public String getAmcInstanceId() {
        return amcInstanceId;
    }

    public void setAmcInstanceId(String amcInstanceId) {
        this.amcInstanceId = amcInstanceId;
    }

    public String getConversionDefinitionId() {
        return conversionDefinitionId;
    }

    public void setConversionDefinitionId(String conversionDefinitionId) {
        this.conversionDefinitionId = conversionDefinitionId;
    }
}
