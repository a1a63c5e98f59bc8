package io.admconnect.batching;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.admconnect.adm.AdmMember;
import io.admconnect.adm.UploadResult;
import io.admconnect.deadletter.DeadLetter;
import io.admconnect.deadletter.DeadLetterStore;
import io.admconnect.processor.ProcessedRecords;
import io.admconnect.processor.SourceName;
import io.admconnect.store.StoreDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

/**
 * The durable store between normalize-hash-consent and the {@code adm:} component. Sources hand members
 * over through {@link #store(Exchange)} / {@link #append}, which return only once the members are
 * committed: that is when a source may acknowledge. Members are kept in append-only chunks; the batcher
 * claims chunks of one (data set, action) into a batch, and a batch leaves the store only when ADM
 * accepted it (its refused members become dead letters) or it was dead-lettered as a whole.
 * Only hashed members are stored.
 */
@ApplicationScoped
@Named("memberStore")
public class MemberStore {

    /** Exchange property of source routes: a {@link TransactionStep} that {@link #store(Exchange)} commits with the members. */
    public static final String ALSO_COMMIT = "AdmAlsoCommit";

    /** Rows stay well below a megabyte; appending never touches an existing row. */
    static final int MAX_CHUNK_MEMBERS = 500;

    /** Appends from this many members on are serialized in parallel. */
    private static final int PARALLEL_SERIALIZATION = 256;

    private final ObjectMapper mapper = new ObjectMapper();

    private final String replica = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);

    /** Appends waiting for a commit, and the lock of whoever commits them ({@link #append}). */
    private final Queue<Append> queued = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committing = new ReentrantLock();

    @Inject
    StoreDataSource dataSource;

    @Inject
    DeadLetterStore deadLetters;

    @Inject
    BatchSettings settings;

    /**
     * Camel entry point of source routes ({@code bean: {ref: memberStore, method: store}}): stores the
     * members of the body's {@link ProcessedRecords} under the exchange's {@link SourceName}, together with the
     * {@link TransactionStep} in the exchange property {@value #ALSO_COMMIT} when there is one (a source's
     * progress, such as how far into a file it has read). The body is kept.
     */
    public void store(Exchange exchange) {
        ProcessedRecords processed = exchange.getMessage().getBody(ProcessedRecords.class);
        if (processed == null) {
            throw new IllegalArgumentException("memberStore.store takes the output of normalizeHashConsent");
        }
        append(processed.dataSet(), SourceName.of(exchange), processed.members(),
                exchange.getProperty(ALSO_COMMIT, TransactionStep.class));
    }

    /** Stores members durably; returns after the commit. */
    public void append(String dataSet, String source, List<AdmMember> members) {
        append(dataSet, source, members, null);
    }

    /**
     * Stores members durably together with {@code alsoCommit} (a source's progress: a watermark, a file
     * position), in one transaction: the progress is never ahead of the members it stands for.
     *
     * <p>Group commit: appends made while another one commits wait for it, then the first of them commits all
     * that queued up meanwhile in one transaction, with the members of each (data set, action, source) in the
     * same chunks. A thousand webhook requests a second so cost tens of commits, not a thousand. Each append
     * still returns only after its own members are committed; should a shared transaction fail, each of its
     * appends is tried again on its own, so one failing append (a stale file checkpoint) fails alone.
     */
    public void append(String dataSet, String source, List<AdmMember> members, TransactionStep alsoCommit) {
        if (members.isEmpty() && alsoCommit == null) {
            return;
        }
        // A file's chunk is serialized on all cores, before the commit lock (a webhook's few members are not worth it).
        List<byte[]> json = (members.size() >= PARALLEL_SERIALIZATION ? members.parallelStream() : members.stream())
                .map(this::serialize).toList();
        Map<String, List<byte[]>> byAction = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            byAction.computeIfAbsent(members.get(i).action(), a -> new ArrayList<>()).add(json.get(i));
        }
        Append append = new Append(dataSet, source, byAction, alsoCommit, Instant.now());
        queued.add(append);
        committing.lock();
        try {
            if (append.failure == null && !append.committed) {
                List<Append> group = new ArrayList<>();
                for (Append next = queued.poll(); next != null; next = queued.poll()) {
                    group.add(next);
                }
                commitGroup(group);
            }
        } finally {
            committing.unlock();
        }
        if (append.failure != null) {
            throw append.failure;
        }
    }

    /** Commits the appends in one transaction; if that fails because of a source's own step, each in its own. */
    private void commitGroup(List<Append> group) {
        try {
            commit(group);
            group.forEach(append -> append.committed = true);
        } catch (RuntimeException e) {
            // Only a source's step (a stale file checkpoint) fails one append and not the others; anything else fails them all.
            if (group.size() == 1 || group.stream().allMatch(append -> append.alsoCommit == null)) {
                group.forEach(append -> append.failure = e);
                return;
            }
            group.forEach(append -> commitGroup(List.of(append)));
        }
    }

    private void commit(List<Append> group) {
        // Members of the same data set, action and source share chunks; they count as received with the oldest.
        Map<List<String>, List<byte[]>> chunks = new LinkedHashMap<>();
        Map<List<String>, Instant> receivedAt = new HashMap<>();
        for (Append append : group) {
            append.byAction.forEach((action, members) -> {
                List<String> key = List.of(append.dataSet, action, append.source);
                chunks.computeIfAbsent(key, k -> new ArrayList<>()).addAll(members);
                receivedAt.merge(key, append.receivedAt, (a, b) -> a.isBefore(b) ? a : b);
            });
        }
        try (Connection connection = dataSource.transaction()) {
            try {
                for (Map.Entry<List<String>, List<byte[]>> chunk : chunks.entrySet()) {
                    List<String> key = chunk.getKey();
                    insertChunks(connection, key.get(0), key.get(1), key.get(2), chunk.getValue(), receivedAt.get(key));
                }
                for (Append append : group) {
                    if (append.alsoCommit != null) {
                        append.alsoCommit.run(connection);
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                // Explicitly: a pooled connection handed back mid-transaction must never commit half of it.
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Could not store " + group.stream().mapToInt(Append::memberCount).sum() + " members", e);
        }
    }

    /** Inserts serialized members as chunks, inside the caller's transaction. */
    public void insertChunks(Connection connection, String dataSet, String action, String source, List<byte[]> members,
            Instant receivedAt) throws SQLException {
        int chunkMembers = Math.min(MAX_CHUNK_MEMBERS, settings.limits().maxMembers());
        int maxBytes = settings.limits().maxBytes();
        try (PreparedStatement insert = connection.prepareStatement("insert into member_chunk"
                + " (data_set, action, source, member_count, byte_size, received_at) values (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
                PreparedStatement insertData = connection.prepareStatement("insert into member_chunk_data (chunk_id, members) values (?, ?)")) {
            for (int from = 0; from < members.size();) {
                // A chunk: as many members as the member and byte limits allow, comma-separated, copied once.
                int to = from + 1;
                int size = members.get(from).length;
                while (to < members.size() && to - from < chunkMembers && size + 1 + members.get(to).length <= maxBytes) {
                    size += 1 + members.get(to++).length;
                }
                byte[] chunk = new byte[size];
                for (int i = from, at = 0; i < to; i++) {
                    if (i > from) {
                        chunk[at++] = ',';
                    }
                    System.arraycopy(members.get(i), 0, chunk, at, members.get(i).length);
                    at += members.get(i).length;
                }
                insert.setString(1, dataSet);
                insert.setString(2, action);
                insert.setString(3, source);
                insert.setInt(4, to - from);
                insert.setInt(5, size);
                insert.setTimestamp(6, Timestamp.from(receivedAt));
                insert.executeUpdate();
                try (ResultSet key = insert.getGeneratedKeys()) {
                    key.next();
                    insertData.setLong(1, key.getLong(1));
                }
                insertData.setBytes(2, chunk);
                insertData.addBatch();
                from = to;
            }
            insertData.executeBatch();
        }
    }

    // ---- batching --------------------------------------------------------------------------------

    /** This process, as the owner of the batches it claims: the host (pod) name and a random part per start. */
    public String replica() {
        return replica;
    }

    /**
     * Batches that another process claimed and left in flight (it crashed, was stopped mid-upload, or lost
     * the batcher's leadership) are due again (at-least-once). Called by the batcher's new leader; this
     * process's own claims are left alone, since its uploads are still running. Returns how many.
     */
    public int recoverInterruptedBatches() {
        try (Connection connection = dataSource.transaction();
                PreparedStatement update = connection.prepareStatement("update member_batch set in_flight = false, claimed_by = null"
                        + " where in_flight = true and (claimed_by is null or claimed_by <> ?)")) {
            update.setString(1, replica);
            int recovered = update.executeUpdate();
            connection.commit();
            return recovered;
        } catch (SQLException e) {
            throw new StoreException("Could not recover interrupted batches", e);
        }
    }

    /**
     * Claims up to {@code maxBatches} batches to upload now: batches due for another attempt first, then
     * new batches of (data set, action) groups that reached a limit.
     */
    public List<MemberBatch> claim(BatchLimits limits, int maxBatches, Instant now) {
        return claim(limits, maxBatches, now, Map.of());
    }

    /**
     * As {@link #claim(BatchLimits, int, Instant)}; a group of a data set in {@code flushed} is also complete when
     * its oldest member was stored before the time given for the data set (its source has sent all it had).
     */
    public List<MemberBatch> claim(BatchLimits limits, int maxBatches, Instant now, Map<String, Instant> flushed) {
        if (maxBatches <= 0) {
            return List.of();
        }
        List<Long> claimed = new ArrayList<>();
        try (Connection connection = dataSource.transaction()) {
            claimDueRetries(connection, maxBatches, now, replica, claimed);
            if (claimed.size() < maxBatches) {
                claimNewBatches(connection, limits, maxBatches, now, flushed, replica, claimed);
            }
            connection.commit();
            List<MemberBatch> batches = new ArrayList<>(claimed.size());
            for (long id : claimed) {
                batches.add(load(connection, id));
            }
            connection.commit();
            return batches;
        } catch (SQLException e) {
            throw new StoreException("Could not claim batches", e);
        }
    }

    private static void claimDueRetries(Connection connection, int maxBatches, Instant now, String owner, List<Long> claimed)
            throws SQLException {
        List<Long> due = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select id from member_batch where in_flight = false and next_attempt_at <= ? order by next_attempt_at, id")) {
            select.setTimestamp(1, Timestamp.from(now));
            select.setMaxRows(maxBatches);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    due.add(rows.getLong(1));
                }
            }
        }
        // "and in_flight = false": should two processes ever claim at once, each batch still goes to one of them.
        try (PreparedStatement mark = connection.prepareStatement("update member_batch set in_flight = true, claimed_by = ?"
                + " where id = ? and in_flight = false")) {
            for (long id : due) {
                mark.setString(1, owner);
                mark.setLong(2, id);
                if (mark.executeUpdate() == 1) {
                    claimed.add(id);
                }
            }
        }
    }

    private static void claimNewBatches(Connection connection, BatchLimits limits, int maxBatches, Instant now,
            Map<String, Instant> flushed, String owner, List<Long> claimed) throws SQLException {
        List<Group> groups = new ArrayList<>();
        try (PreparedStatement pending = connection.prepareStatement("select data_set, action, sum(member_count), sum(byte_size),"
                + " min(received_at) from member_chunk where batch_id is null group by data_set, action");
                ResultSet rows = pending.executeQuery()) {
            while (rows.next()) {
                groups.add(new Group(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4),
                        rows.getTimestamp(5).toInstant()));
            }
        }
        Instant waitedLongEnough = now.minus(limits.maxWait());
        for (Group group : groups) {
            long members = group.members();
            long bytes = group.bytes();
            Instant flushedAt = flushed.get(group.dataSet());
            boolean aged = !group.oldest().isAfter(waitedLongEnough) || flushedAt != null && !group.oldest().isAfter(flushedAt);
            while (claimed.size() < maxBatches && members > 0
                    && (aged || members >= limits.maxMembers() || bytes >= limits.maxBytes())) {
                Claim claim = claimOne(connection, group, limits, now, owner);
                claimed.add(claim.batchId());
                members -= claim.members();
                bytes -= claim.bytes();
            }
        }
    }

    /** Claims the oldest chunks of a group, as many as fit the limits, into a new batch. */
    private static Claim claimOne(Connection connection, Group group, BatchLimits limits, Instant now, String owner)
            throws SQLException {
        long lastId = -1;
        int members = 0;
        long bytes = 0;
        Instant firstReceived = null;
        try (PreparedStatement chunks = connection.prepareStatement("select id, member_count, byte_size, received_at from member_chunk"
                + " where batch_id is null and data_set = ? and action = ? order by id")) {
            chunks.setString(1, group.dataSet());
            chunks.setString(2, group.action());
            chunks.setFetchSize(64);
            try (ResultSet rows = chunks.executeQuery()) {
                while (rows.next()) {
                    int count = rows.getInt(2);
                    int size = rows.getInt(3);
                    if (members > 0 && (members + count > limits.maxMembers() || bytes + size + 1 > limits.maxBytes())) {
                        break;
                    }
                    lastId = rows.getLong(1);
                    members += count;
                    bytes += size + 1;
                    firstReceived = firstReceived == null ? rows.getTimestamp(4).toInstant() : firstReceived;
                }
            }
        }
        long batchId;
        try (PreparedStatement insert = connection.prepareStatement("insert into member_batch (data_set, action, member_count,"
                + " attempts, in_flight, next_attempt_at, first_received_at, claimed_by) values (?, ?, ?, 0, true, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, group.dataSet());
            insert.setString(2, group.action());
            insert.setInt(3, members);
            insert.setTimestamp(4, Timestamp.from(now));
            insert.setTimestamp(5, Timestamp.from(firstReceived));
            insert.setString(6, owner);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                batchId = keys.getLong(1);
            }
        }
        try (PreparedStatement assign = connection.prepareStatement("update member_chunk set batch_id = ?"
                + " where batch_id is null and data_set = ? and action = ? and id <= ?")) {
            assign.setLong(1, batchId);
            assign.setString(2, group.dataSet());
            assign.setString(3, group.action());
            assign.setLong(4, lastId);
            assign.executeUpdate();
        }
        return new Claim(batchId, members, bytes);
    }

    private static MemberBatch load(Connection connection, long batchId) throws SQLException {
        MemberBatch.Body body;
        try (PreparedStatement sizes = connection.prepareStatement("select count(*), coalesce(sum(byte_size), 0) from member_chunk"
                + " where batch_id = ?")) {
            sizes.setLong(1, batchId);
            try (ResultSet row = sizes.executeQuery()) {
                row.next();
                body = new MemberBatch.Body(row.getInt(1), row.getLong(2));
            }
        }
        try (PreparedStatement select = connection.prepareStatement("select c.id, c.source, c.received_at, c.member_count, c.byte_size,"
                + " d.members from member_chunk c join member_chunk_data d on d.chunk_id = c.id where c.batch_id = ? order by c.id")) {
            select.setLong(1, batchId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    try (InputStream members = rows.getBinaryStream(6)) {
                        body.add(rows.getLong(1), rows.getString(2), rows.getTimestamp(3).toInstant(), rows.getInt(4), rows.getInt(5), members);
                    }
                }
            }
        } catch (IOException e) {
            throw new SQLException("Could not read the members of batch " + batchId, e);
        }
        try (PreparedStatement select = connection.prepareStatement("select data_set, action, member_count, attempts,"
                + " first_received_at from member_batch where id = ?")) {
            select.setLong(1, batchId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return body.batch(batchId, row.getString(1), row.getString(2), row.getInt(3), row.getInt(4), row.getTimestamp(5).toInstant());
            }
        }
    }

    // ---- outcomes of an upload -------------------------------------------------------------------

    /**
     * ADM answered 200: the batch leaves the store, and each member ADM refused becomes a dead letter
     * (the accepted ones are never sent again).
     */
    public void complete(MemberBatch batch, UploadResult result) {
        List<DeadLetter> refused = new ArrayList<>();
        for (UploadResult.RejectedMember rejected : result.rejected()) {
            refused.add(deadLetter(batch, batch.locate(rejected.index()), "adm_rejected_member",
                    "ADM code " + rejected.code() + ": " + rejected.details(), result.requestId()));
        }
        remove(batch, refused);
    }

    /** The whole batch failed for good (a 4xx, or retries exhausted): every member becomes a dead letter. */
    public void deadLetter(MemberBatch batch, String reason, String details, String requestId) {
        List<DeadLetter> all = new ArrayList<>(batch.memberCount());
        for (MemberBatch.Chunk chunk : batch.chunks()) {
            for (int i = 0; i < chunk.memberCount(); i++) {
                all.add(deadLetter(batch, new MemberBatch.ChunkPosition(chunk, i), reason, details, requestId));
            }
        }
        remove(batch, all);
    }

    private void remove(MemberBatch batch, List<DeadLetter> deadLettered) {
        try (Connection connection = dataSource.transaction()) {
            deadLetters.insert(connection, deadLettered);
            try (PreparedStatement chunks = connection.prepareStatement("delete from member_chunk where batch_id = ?");
                    PreparedStatement batches = connection.prepareStatement("delete from member_batch where id = ?")) {
                chunks.setLong(1, batch.id());
                chunks.executeUpdate();
                batches.setLong(1, batch.id());
                batches.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("Could not complete batch " + batch.id(), e);
        }
        deadLetters.count(deadLettered);
    }

    /**
     * The upload failed for now: try again at {@code nextAttempt}; {@code countAttempt} false for pauses. Only
     * while this process still holds the claim: a new leader may already have taken the batch over.
     */
    public void retryLater(MemberBatch batch, Instant nextAttempt, String error, boolean countAttempt) {
        try (Connection connection = dataSource.transaction();
                PreparedStatement update = connection.prepareStatement("update member_batch set in_flight = false, claimed_by = null,"
                        + " attempts = attempts + ?, next_attempt_at = ?, last_error = ? where id = ? and claimed_by = ?")) {
            update.setInt(1, countAttempt ? 1 : 0);
            update.setTimestamp(2, Timestamp.from(nextAttempt));
            update.setString(3, error == null || error.length() <= 1000 ? error : error.substring(0, 1000));
            update.setLong(4, batch.id());
            update.setString(5, replica);
            update.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("Could not reschedule batch " + batch.id(), e);
        }
    }

    /** Members stored and not yet uploaded or dead-lettered. */
    public long membersInFlight() {
        return membersInFlight(null);
    }

    /** Members of one data set (all when null) stored and not yet uploaded or dead-lettered. */
    public long membersInFlight(String dataSet) {
        try (Connection connection = dataSource.transaction();
                PreparedStatement sum = connection.prepareStatement("select coalesce(sum(member_count), 0) from member_chunk"
                        + (dataSet == null ? "" : " where data_set = ?"))) {
            if (dataSet != null) {
                sum.setString(1, dataSet);
            }
            long count;
            try (ResultSet row = sum.executeQuery()) {
                row.next();
                count = row.getLong(1);
            }
            connection.commit();
            return count;
        } catch (SQLException e) {
            throw new StoreException("Could not count members in flight", e);
        }
    }

    private DeadLetter deadLetter(MemberBatch batch, MemberBatch.ChunkPosition position, String reason, String details,
            String requestId) {
        JsonNode member = memberAt(batch, position);
        return new DeadLetter(0, batch.dataSet(), batch.action(), member.path("externalUserId").asText(), serialize(member), reason,
                details, batch.attempts() + 1, requestId, position.chunk().source(), position.chunk().receivedAt(), Instant.now());
    }

    private JsonNode memberAt(MemberBatch batch, MemberBatch.ChunkPosition position) {
        byte[] members = batch.members(position.chunk());
        byte[] array = new byte[members.length + 2];
        array[0] = '[';
        System.arraycopy(members, 0, array, 1, members.length);
        array[array.length - 1] = ']';
        try {
            return mapper.readTree(array).get(position.index());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] serialize(Object member) {
        try {
            return mapper.writeValueAsBytes(member);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "local";
            }
        }
        return host.length() <= 100 ? host : host.substring(0, 100);
    }

    /** Work done inside the store's transaction. */
    @FunctionalInterface
    public interface TransactionStep {
        void run(Connection connection) throws SQLException;
    }

    private record Group(String dataSet, String action, long members, long bytes, Instant oldest) {
    }

    /** Members waiting in {@link #queued} for a commit; the committing thread sets the outcome. */
    private static final class Append {
        private final String dataSet;
        private final String source;
        private final Map<String, List<byte[]>> byAction;
        private final TransactionStep alsoCommit;
        private final Instant receivedAt;
        private boolean committed;
        private RuntimeException failure;

        Append(String dataSet, String source, Map<String, List<byte[]>> byAction, TransactionStep alsoCommit, Instant receivedAt) {
            this.dataSet = dataSet;
            this.source = source;
            this.byAction = byAction;
            this.alsoCommit = alsoCommit;
            this.receivedAt = receivedAt;
        }

        int memberCount() {
            return byAction.values().stream().mapToInt(List::size).sum();
        }
    }

    private record Claim(long batchId, int members, long bytes) {
    }
}
