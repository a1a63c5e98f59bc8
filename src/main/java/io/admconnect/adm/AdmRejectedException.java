package io.admconnect.adm;

/** ADM refused the request itself (400, 404, 415, other 4xx): sending it again fails the same way. */
public class AdmRejectedException extends AdmException {

    private final String amazonCode;
    private final String existingDataSetId;

    public AdmRejectedException(String message, int status, String requestId, String amazonCode, String existingDataSetId) {
        super(message, status, requestId, null);
        this.amazonCode = amazonCode;
        this.existingDataSetId = existingDataSetId;
    }

    /** The {@code code} field of Amazon's error body, if any. */
    public String getAmazonCode() {
        return amazonCode;
    }

    /** For a duplicate data set name: the id of the data set that already has the name. */
    public String getExistingDataSetId() {
        return existingDataSetId;
    }
}
