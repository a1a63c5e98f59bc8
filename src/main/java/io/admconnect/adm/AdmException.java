package io.admconnect.adm;

/**
 * A failed ADM or Login with Amazon call. The subclass says what a route should do about it:
 * {@link AdmThrottledException} and {@link AdmTransientException} are worth retrying,
 * {@link AdmAuthException} needs an operator, {@link AdmRejectedException} will fail again as it is.
 * Messages name the call, the status and Amazon's request id; they never carry member data.
 */
public class AdmException extends RuntimeException {

    private final int status;
    private final String requestId;

    public AdmException(String message, int status, String requestId, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.requestId = requestId;
    }

    /** HTTP status of the failed call; 0 when no response arrived. */
    public int getStatus() {
        return status;
    }

    /** Amazon-Advertising-API-RequestId of the failed call, when Amazon sent one. */
    public String getRequestId() {
        return requestId;
    }
}
