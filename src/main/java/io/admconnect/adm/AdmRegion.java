package io.admconnect.adm;

/** The three Amazon Ads regions: each has its own API host and Login with Amazon token endpoint. */
public enum AdmRegion {
    NA("https://advertising-api.amazon.com", "https://api.amazon.com/auth/o2/token"),
    EU("https://advertising-api-eu.amazon.com", "https://api.amazon.co.uk/auth/o2/token"),
    FE("https://advertising-api-fe.amazon.com", "https://api.amazon.co.jp/auth/o2/token");

    private final String apiUrl;
    private final String authUrl;

    AdmRegion(String apiUrl, String authUrl) {
        this.apiUrl = apiUrl;
        this.authUrl = authUrl;
    }

    public String apiUrl() {
        return apiUrl;
    }

    public String authUrl() {
        return authUrl;
    }
}
