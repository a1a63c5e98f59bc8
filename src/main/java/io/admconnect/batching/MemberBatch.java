package io.admconnect.batching;

import java.io.ByteArrayOutputStream;
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

    /** The upload body, {@code {"members":[...]}}, built from the stored JSON without re-serializing. */
    public byte[] uploadBody() {
        int size = PREFIX.length + SUFFIX.length + chunks.size();
        for (Chunk chunk : chunks) {
            size += chunk.members().length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(PREFIX);
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(chunks.get(i).members());
        }
        out.writeBytes(SUFFIX);
        return out.toByteArray();
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
