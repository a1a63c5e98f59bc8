package io.admconnect.batching;

import java.time.Duration;

import io.admconnect.adm.AdmConstants;

/**
 * When a batch of one (data set, action) is complete: at {@code maxMembers}, at {@code maxBytes} of
 * serialized members, or {@code maxWait} after its oldest member arrived, whichever comes first.
 */
public record BatchLimits(int maxMembers, int maxBytes, Duration maxWait) {

    /** Comfortably below ADM's 10 MB per request, leaving room for the envelope. */
    public static final int MAX_BYTES = 9_000_000;

    public BatchLimits {
        if (maxMembers < 1 || maxMembers > AdmConstants.MAX_MEMBERS_PER_UPLOAD) {
            throw new IllegalArgumentException("ADM_BATCH_MAX_MEMBERS must be between 1 and "
                    + AdmConstants.MAX_MEMBERS_PER_UPLOAD + ", not " + maxMembers);
        }
        if (maxBytes < 1 || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("The batch byte limit must be between 1 and " + MAX_BYTES);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("ADM_BATCH_MAX_WAIT must be positive, e.g. 5s");
        }
    }

    /**
     * These limits with a batch due {@code early} before its oldest member has waited {@code maxWait}: for a
     * batcher that looks every {@code early}, so that no member waits longer than {@code maxWait}. A wait shorter
     * than twice {@code early} is kept as it is.
     */
    public BatchLimits dueEarlierBy(Duration early) {
        if (maxWait.compareTo(early.multipliedBy(2)) < 0) {
            return this;
        }
        return new BatchLimits(maxMembers, maxBytes, maxWait.minus(early));
    }
}
