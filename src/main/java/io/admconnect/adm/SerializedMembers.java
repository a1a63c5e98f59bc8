package io.admconnect.adm;

/**
 * An upload body that is already serialized, {@code {"members":[...]}} with {@code memberCount} members:
 * the batcher builds it from stored JSON, so the producer sends it without parsing it again.
 */
public record SerializedMembers(byte[] json, int memberCount) {
}
