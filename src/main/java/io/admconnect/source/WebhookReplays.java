package io.admconnect.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import io.admconnect.batching.MemberStore;
import io.admconnect.batching.StoreException;
import io.admconnect.store.StoreDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Webhook bodies accepted within their replay window (table {@code webhook_request}), so that a replay is
 * answered again instead of stored again: a captured request sent once more, or a CRM's retry after the
 * first answer got lost. A body is known per source by the SHA-256 of its raw bytes (never the body: no
 * personal data is kept), together with the answer it got. It is recorded in the transaction of its
 * members ({@link MemberStore#append}), so it counts as accepted exactly when its records are stored.
 */
@ApplicationScoped
public class WebhookReplays {

    private static final Logger LOG = Logger.getLogger(WebhookReplays.class);

    @Inject
    StoreDataSource dataSource;

    /** The answer the body got if it was accepted from this source and its window is still open at {@code now}. */
    public Optional<String> answerOf(String source, String bodySha256, Instant now) {
        try (Connection connection = dataSource.transaction();
                PreparedStatement select = connection.prepareStatement("select answer from webhook_request"
                        + " where source = ? and body_sha256 = ? and expires_at > ?")) {
            select.setString(1, source);
            select.setString(2, bodySha256);
            select.setTimestamp(3, Timestamp.from(now));
            Optional<String> answer;
            try (ResultSet row = select.executeQuery()) {
                answer = row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
            connection.commit();
            return answer;
        } catch (SQLException e) {
            throw new StoreException("Could not look up an earlier webhook request", e);
        }
    }

    /**
     * A step for {@link MemberStore#append} that records the body as accepted until {@code expiresAt}, with
     * {@code answer} (asked for inside the transaction, once the members are known). It fails, and with it
     * the whole append, when the same body was recorded meanwhile and is still within its window: of two
     * identical requests at once, only one stores its records.
     */
    public MemberStore.TransactionStep remember(String source, String bodySha256, Supplier<String> answer, Instant acceptedAt,
            Instant expiresAt) {
        return connection -> {
            String text = answer.get();
            // An expired row not purged yet is taken over; a live one makes the insert fail on the primary key.
            try (PreparedStatement update = connection.prepareStatement("update webhook_request set answer = ?, accepted_at = ?,"
                    + " expires_at = ? where source = ? and body_sha256 = ? and expires_at <= ?")) {
                update.setString(1, text);
                update.setTimestamp(2, Timestamp.from(acceptedAt));
                update.setTimestamp(3, Timestamp.from(expiresAt));
                update.setString(4, source);
                update.setString(5, bodySha256);
                update.setTimestamp(6, Timestamp.from(acceptedAt));
                if (update.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("insert into webhook_request"
                    + " (source, body_sha256, answer, accepted_at, expires_at) values (?, ?, ?, ?, ?)")) {
                insert.setString(1, source);
                insert.setString(2, bodySha256);
                insert.setString(3, text);
                insert.setTimestamp(4, Timestamp.from(acceptedAt));
                insert.setTimestamp(5, Timestamp.from(expiresAt));
                insert.executeUpdate();
            }
        };
    }

    /** Forgets the bodies whose window closed before {@code now}; returns how many. */
    public int purge(Instant now) {
        try (Connection connection = dataSource.transaction();
                PreparedStatement delete = connection.prepareStatement("delete from webhook_request where expires_at <= ?")) {
            delete.setTimestamp(1, Timestamp.from(now));
            int purged = delete.executeUpdate();
            connection.commit();
            return purged;
        } catch (SQLException e) {
            throw new StoreException("Could not purge expired webhook requests", e);
        }
    }

    /** The purge route's step: forgets every body whose window has closed. */
    public void purgeExpired() {
        int purged = purge(Instant.now());
        if (purged > 0) {
            LOG.debugf("Forgot %d webhook requests past their replay window", purged);
        }
    }
}
