package io.admconnect.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import io.admconnect.batching.MemberStore;
import io.admconnect.batching.StoreException;
import io.admconnect.store.StoreDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Watermarks of polling sources, kept in the durable store and advanced with the members they cover. */
@ApplicationScoped
public class SourceWatermarks {

    @Inject
    StoreDataSource dataSource;

    public Optional<String> read(String source) {
        try (Connection connection = dataSource.transaction();
                PreparedStatement select = connection.prepareStatement("select watermark from source_watermark where source_name = ?")) {
            select.setString(1, source);
            try (ResultSet row = select.executeQuery()) {
                Optional<String> watermark = row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                connection.commit();
                return watermark;
            }
        } catch (SQLException e) {
            throw new StoreException("Could not read the watermark of " + source, e);
        }
    }

    /** A step for {@link MemberStore#append} that moves the watermark in the members' transaction. */
    public MemberStore.TransactionStep advanceTo(String source, String watermark) {
        return connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "update source_watermark set watermark = ?, updated_at = ? where source_name = ?")) {
                update.setString(1, watermark);
                update.setTimestamp(2, Timestamp.from(Instant.now()));
                update.setString(3, source);
                if (update.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into source_watermark (source_name, watermark, updated_at) values (?, ?, ?)")) {
                insert.setString(1, source);
                insert.setString(2, watermark);
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
        };
    }
}
