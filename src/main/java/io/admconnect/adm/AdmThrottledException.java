package io.admconnect.adm;

import java.time.Duration;

/** ADM answered 429: wait at least {@link #getRetryAfter()} before the next call. */
public class AdmThrottledException extends AdmException {

    private final Duration retryAfter;

    public AdmThrottledException(String message, String requestId, Duration retryAfter) {
        super(message, 429, requestId, null);
        this.retryAfter = retryAfter;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }
}
