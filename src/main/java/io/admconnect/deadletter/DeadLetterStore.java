package io.admconnect.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.admconnect.batching.MemberStore;
import io.admconnect.batching.StoreException;
import io.admconnect.store.StoreDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Dead letters live in the same store as the members waiting for upload: they can be listed (by data set
 * and reason, paged) and replayed, which hands them back to the batcher as new members.
 */
@ApplicationScoped
public class DeadLetterStore {

    @Inject
    StoreDataSource dataSource;

    @Inject
    MemberStore members;

    @Inject
    MeterRegistry registry;

    /** Inserts dead letters inside the caller's transaction and counts them once it commits. */
    public void insert(Connection connection, List<DeadLetter> deadLetters) throws SQLException {
        if (deadLetters.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("insert into dead_letter (data_set, action, external_user_id,"
                + " member, reason, details, attempts, request_id, source, received_at, dead_lettered_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (DeadLetter letter : deadLetters) {
                insert.setString(1, letter.dataSet());
                insert.setString(2, letter.action());
                insert.setString(3, letter.externalUserId());
                insert.setBytes(4, letter.member());
                insert.setString(5, letter.reason());
                insert.setString(6, truncate(letter.details()));
                insert.setInt(7, letter.attempts());
                insert.setString(8, letter.requestId());
                insert.setString(9, letter.source());
                insert.setTimestamp(10, Timestamp.from(letter.receivedAt()));
                insert.setTimestamp(11, Timestamp.from(letter.deadLetteredAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Counts dead letters in metrics, after the transaction that stored them committed. */
    public void count(List<DeadLetter> deadLetters) {
        for (DeadLetter letter : deadLetters) {
            Counter.builder("adm.members.dead_lettered").tag("data_set", letter.dataSet()).tag("reason", letter.reason())
                    .register(registry).increment();
        }
    }

    /** A page of dead letters matching the filter, newest last, and how many match in all. */
    public Page list(Filter filter, int offset, int limit) {
        try (Connection connection = dataSource.transaction()) {
            List<DeadLetter> letters = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select id, data_set, action, external_user_id, member,"
                    + " reason, details, attempts, request_id, source, received_at, dead_lettered_at from dead_letter"
                    + filter.where() + " order by id offset ? rows fetch next ? rows only")) {
                int next = filter.bind(select, 1);
                select.setInt(next, offset);
                select.setInt(next + 1, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        letters.add(read(rows));
                    }
                }
            }
            long total;
            try (PreparedStatement count = connection.prepareStatement("select count(*) from dead_letter" + filter.where())) {
                filter.bind(count, 1);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    total = row.getLong(1);
                }
            }
            connection.commit();
            return new Page(letters, total);
        } catch (SQLException e) {
            throw new StoreException("Could not list dead letters", e);
        }
    }

    /**
     * Hands the dead letters matching the filter back to the batcher, in one transaction: they become
     * members waiting for upload again and leave the dead letters. Returns how many were replayed.
     */
    public int replay(Filter filter) {
        try (Connection connection = dataSource.transaction()) {
            Map<List<String>, List<byte[]>> byGroup = new LinkedHashMap<>();
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select id, data_set, action, source, member from dead_letter"
                    + filter.where() + " order by id")) {
                filter.bind(select, 1);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                        byGroup.computeIfAbsent(List.of(rows.getString(2), rows.getString(3), rows.getString(4)), g -> new ArrayList<>())
                                .add(rows.getBytes(5));
                    }
                }
            }
            Instant now = Instant.now();
            for (Map.Entry<List<String>, List<byte[]>> group : byGroup.entrySet()) {
                List<String> key = group.getKey();
                members.insertChunks(connection, key.get(0), key.get(1), key.get(2), group.getValue(), now);
            }
            try (PreparedStatement delete = connection.prepareStatement("delete from dead_letter where id = ?")) {
                for (long id : ids) {
                    delete.setLong(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            connection.commit();
            registry.counter("adm.members.replayed").increment(ids.size());
            return ids.size();
        } catch (SQLException e) {
            throw new StoreException("Could not replay dead letters", e);
        }
    }

    private static DeadLetter read(ResultSet rows) throws SQLException {
        return new DeadLetter(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getBytes(5),
                rows.getString(6), rows.getString(7), rows.getInt(8), rows.getString(9), rows.getString(10),
                rows.getTimestamp(11).toInstant(), rows.getTimestamp(12).toInstant());
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }

    /** Which dead letters: by data set and/or reason; null matches any. */
    public record Filter(String dataSet, String reason) {

        public static final Filter ALL = new Filter(null, null);

        String where() {
            if (dataSet == null && reason == null) {
                return "";
            }
            return " where " + (dataSet != null ? "data_set = ?" : "") + (dataSet != null && reason != null ? " and " : "")
                    + (reason != null ? "reason = ?" : "");
        }

        int bind(PreparedStatement statement, int first) throws SQLException {
            int next = first;
            if (dataSet != null) {
                statement.setString(next++, dataSet);
            }
            if (reason != null) {
                statement.setString(next++, reason);
            }
            return next;
        }
    }

    public record Page(List<DeadLetter> deadLetters, long total) {
    }
}
