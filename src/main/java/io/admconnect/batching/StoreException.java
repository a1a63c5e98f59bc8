package io.admconnect.batching;

/** The durable store could not do its work (database unreachable, disk full): nothing was acknowledged. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
