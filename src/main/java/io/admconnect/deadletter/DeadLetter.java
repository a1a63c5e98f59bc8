package io.admconnect.deadletter;

import java.time.Instant;

/**
 * A member that could not be delivered: the hashed member as it would have been sent, why, after how
 * many attempts, and Amazon's request id. Never holds plaintext PII.
 */
public record DeadLetter(long id, String dataSet, String action, String externalUserId, byte[] member, String reason,
        String details, int attempts, String requestId, String source, Instant receivedAt, Instant deadLetteredAt) {
}
