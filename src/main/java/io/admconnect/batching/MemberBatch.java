package io.admconnect.batching;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch claimed for one upload: the chunks of one (data set, action) it holds, in the order their
 * members will be sent, and the upload body {@code {"members":[...]}} they make. The body is the stored
 * JSON, copied into place as the store reads it: no re-serializing, and no second copy held during the upload.
 */
public record MemberBatch(long id, String dataSet, String action, int memberCount, int attempts,
        Instant firstReceivedAt, List<Chunk> chunks, byte[] uploadBody) {

    private static final byte[] PREFIX = "{\"members\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    /** A chunk's members, their JSON objects comma-separated (a copy, for the rare member that must be looked at). */
    byte[] members(Chunk chunk) {
        return Arrays.copyOfRange(uploadBody, chunk.offset(), chunk.offset() + chunk.length());
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

    /** Members as one source handed them over: where their JSON objects (comma-separated) are in the upload body. */
    public record Chunk(long id, String source, Instant receivedAt, int memberCount, int offset, int length) {
    }

    record ChunkPosition(Chunk chunk, int index) {
    }

    /** The upload body of chunks holding {@code chunkBytes} bytes in all, filled in chunk by chunk as they are read. */
    static final class Body {
        private final byte[] bytes;
        private final List<Chunk> chunks = new ArrayList<>();
        private int at = PREFIX.length;

        Body(int chunkCount, long chunkBytes) {
            bytes = new byte[Math.toIntExact(PREFIX.length + chunkBytes + Math.max(0, chunkCount - 1) + SUFFIX.length)];
            System.arraycopy(PREFIX, 0, bytes, 0, PREFIX.length);
        }

        void add(long id, String source, Instant receivedAt, int memberCount, int length, InputStream members) throws IOException {
            if (!chunks.isEmpty()) {
                bytes[at++] = ',';
            }
            if (members.readNBytes(bytes, at, length) != length || members.read() != -1) {
                throw new IOException("Chunk " + id + " does not hold the " + length + " bytes recorded for it");
            }
            chunks.add(new Chunk(id, source, receivedAt, memberCount, at, length));
            at += length;
        }

        MemberBatch batch(long id, String dataSet, String action, int memberCount, int attempts, Instant firstReceivedAt) {
            System.arraycopy(SUFFIX, 0, bytes, at, SUFFIX.length);
            return new MemberBatch(id, dataSet, action, memberCount, attempts, firstReceivedAt, List.copyOf(chunks), bytes);
        }
    }
}
