package io.admconnect.adm;

/** The account is not ready for uploads (terms not accepted): fixing it is an explicit operator action. */
public class AdmPreflightException extends AdmException {

    public AdmPreflightException(String message, String requestId) {
        super(message, 0, requestId, null);
    }
}
