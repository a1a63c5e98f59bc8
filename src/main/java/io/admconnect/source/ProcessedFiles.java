package io.admconnect.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import io.admconnect.batching.MemberStore;
import io.admconnect.batching.StoreException;
import io.admconnect.store.StoreDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How far each dropped file has been stored (table {@code processed_file}). A checkpoint is written with
 * the members of the chunk that reaches it, in one transaction ({@link MemberStore}), and only if the row
 * still holds what this reader started from: two readers of one file (two replicas, a poll racing a
 * restart) cannot both store the same records; the second one fails and tries again later.
 */
@ApplicationScoped
public class ProcessedFiles {

    /**
     * What has been stored of a file: the line of the last record stored, records read up to there (stored
     * or rejected), whether that is all of them, and whether the table has a row for the file at all.
     */
    public record Stored(long lastLine, long records, boolean completed, boolean known) {

        static final Stored NOTHING = new Stored(0, 0, false, false);
    }

    @Inject
    StoreDataSource dataSource;

    public Stored find(FileKey key) {
        try (Connection connection = dataSource.transaction();
                PreparedStatement select = connection.prepareStatement("select last_line, records, completed from processed_file"
                        + " where source = ? and file_name = ? and file_size = ? and file_modified = ?")) {
            bind(select, 1, key);
            Stored stored = Stored.NOTHING;
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    stored = new Stored(row.getLong(1), row.getLong(2), row.getBoolean(3), true);
                }
            }
            connection.commit();
            return stored;
        } catch (SQLException e) {
            throw new StoreException("Could not look up file " + key.name(), e);
        }
    }

    /**
     * The checkpoint stored with a chunk's members: the file moves from {@code from} to {@code to}, provided
     * the store still has it at {@code from}.
     */
    public record Checkpoint(FileKey key, Stored from, Stored to) implements MemberStore.TransactionStep {
        @Override
        public void run(Connection connection) throws SQLException {
            advance(connection, key, from, to);
        }
    }

    /** Marks every record of the file as stored (after its last chunk was, or when it has no records). */
    public Stored complete(FileKey key, Stored from) {
        Stored completed = new Stored(from.lastLine(), from.records(), true, true);
        try (Connection connection = dataSource.transaction()) {
            try {
                advance(connection, key, from, completed);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Could not mark file " + key.name() + " as stored", e);
        }
        return completed;
    }

    /** Moves the file's row from {@code from} to {@code to}; fails when the row is no longer {@code from}. */
    private static void advance(Connection connection, FileKey key, Stored from, Stored to) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        if (!from.known()) {
            // A second reader inserting the same file at the same time fails on the primary key.
            try (PreparedStatement insert = connection.prepareStatement("insert into processed_file (source, file_name,"
                    + " file_size, file_modified, last_line, records, completed, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, 1, key);
                insert.setLong(5, to.lastLine());
                insert.setLong(6, to.records());
                insert.setBoolean(7, to.completed());
                insert.setTimestamp(8, now);
                insert.executeUpdate();
            }
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("update processed_file set last_line = ?, records = ?,"
                + " completed = ?, updated_at = ? where source = ? and file_name = ? and file_size = ? and file_modified = ?"
                + " and last_line = ? and completed = ?")) {
            update.setLong(1, to.lastLine());
            update.setLong(2, to.records());
            update.setBoolean(3, to.completed());
            update.setTimestamp(4, now);
            bind(update, 5, key);
            update.setLong(9, from.lastLine());
            update.setBoolean(10, from.completed());
            if (update.executeUpdate() != 1) {
                throw new SQLException("file " + key.name() + " was stored further by another reader meanwhile");
            }
        }
    }

    private static void bind(PreparedStatement statement, int first, FileKey key) throws SQLException {
        statement.setString(first, key.source());
        statement.setString(first + 1, key.name());
        statement.setLong(first + 2, key.size());
        statement.setLong(first + 3, key.modified());
    }
}
