package io.admconnect.adm;

/**
 * Credentials or permissions are wrong (LWA invalid_grant / invalid_client, a 401 that survived a token
 * refresh, a 403). Retrying does not help; an operator has to act, so delivery should pause and alert.
 */
public class AdmAuthException extends AdmException {

    public AdmAuthException(String message, int status, String requestId) {
        super(message, status, requestId, null);
    }
}
