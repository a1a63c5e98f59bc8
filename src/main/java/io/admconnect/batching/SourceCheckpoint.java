package io.admconnect.batching;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How far a source has read, written by {@link MemberStore} in the same transaction as the members read up
 * to there: either both are durable or neither, so a source that resumes from its checkpoint never stores a
 * record twice nor skips one. A source route hands it to {@code memberStore.store} in the exchange property
 * {@value #PROPERTY}.
 */
@FunctionalInterface
public interface SourceCheckpoint {

    String PROPERTY = "AdmSourceCheckpoint";

    /**
     * Writes the checkpoint inside the store's transaction. Throws when the checkpoint is no longer the one
     * the source started from (another reader got further): the transaction then rolls back.
     */
    void write(Connection connection) throws SQLException;
}
