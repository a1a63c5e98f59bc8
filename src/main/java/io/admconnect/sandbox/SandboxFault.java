package io.admconnect.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A fault the sandbox injects on demand: answer {@code status} (with {@code Retry-After} for a 429)
 * and/or wait {@code delayMillis} before answering, for the next {@code times} calls of an operation
 * ({@code -1}: until cleared), each with the given probability.
 *
 * @param operation   which calls: {@code token}, {@code terms}, {@code datarooms}, {@code audiences},
 *                    {@code members}, {@code identities}, {@code sharingRules}, {@code metrics} or {@code any}
 * @param status      the status to answer; 0 to answer normally (a pure delay)
 * @param times       how many matching calls the fault hits; -1 for every call until cleared
 * @param retryAfter  seconds sent in {@code Retry-After} with a 429
 * @param delayMillis how long to wait before answering
 * @param probability the chance that a matching call is hit, 0..1 (1 when absent)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxFault(String operation, int status, Integer times, Integer retryAfter, Long delayMillis, Double probability) {

    public static SandboxFault status(String operation, int status, int times) {
        return new SandboxFault(operation, status, times, null, null, null);
    }

    public static SandboxFault throttle(String operation, int times, int retryAfterSeconds) {
        return new SandboxFault(operation, 429, times, retryAfterSeconds, null, null);
    }

    public static SandboxFault delay(String operation, long delayMillis, int times) {
        return new SandboxFault(operation, 0, times, null, delayMillis, null);
    }

    boolean appliesTo(String callOperation) {
        return operation == null || "any".equals(operation) || operation.equals(callOperation);
    }

    int timesOrOnce() {
        return times == null ? 1 : times;
    }

    long delay() {
        return delayMillis == null ? 0 : delayMillis;
    }

    double chance() {
        return probability == null ? 1.0 : probability;
    }
}
