package io.admconnect.batching;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A batch claimed for one upload: the chunks of one (data set, action) it holds, in the order their
 * members will be sent.
 */
public record MemberBatch(long id, String dataSet, String action, int memberCount, int attempts,
        Instant firstReceivedAt, List<Chunk> chunks) {

    private static final byte[] PREFIX = "{\"members\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    /** The upload body, {@code {"members":[...]}}, built from the stored JSON without re-serializing, copied once. */
    public byte[] uploadBody() {
        int size = PREFIX.length + SUFFIX.length + chunks.size() - 1;
        for (Chunk chunk : chunks) {
            size += chunk.members().length;
        }
        byte[] body = new byte[size];
        System.arraycopy(PREFIX, 0, body, 0, PREFIX.length);
        int at = PREFIX.length;
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            byte[] members = chunks.get(i).members();
            System.arraycopy(members, 0, body, at, members.length);
            at += members.length;
        }
        System.arraycopy(SUFFIX, 0, body, at, SUFFIX.length);
        return body;
    }

    /** The chunk holding the member at {@code index} of the upload, and the index inside that chunk. */
    ChunkPosition locate(int index) {
        int offset = 0;
        for (Chunk chunk : chunks) {
            if (index < offset + chunk.memberCount()) {
                return new ChunkPosition(chunk, index - offset);
            }
            offset += chunk.memberCount();
        }
        throw new IndexOutOfBoundsException("Batch " + id + " has no member " + index);
    }

    /** Members as one source handed them over: their JSON objects, comma-separated. */
    public record Chunk(long id, String source, Instant receivedAt, int memberCount, byte[] members) {
    }

    record ChunkPosition(Chunk chunk, int index) {
    }
}
