package io.admconnect.adm;

/** A 5xx answer, a timeout or a broken connection: retrying later with backoff may succeed. */
public class AdmTransientException extends AdmException {

    public AdmTransientException(String message, int status, String requestId, Throwable cause) {
        super(message, status, requestId, cause);
    }
}
