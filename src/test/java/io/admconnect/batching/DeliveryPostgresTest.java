package io.admconnect.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import io.admconnect.store.StoreDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The same delivery tests on the production store: the PostgreSQL at 127.0.0.1:5432, in a schema of their
 * own, since other builds on the machine clean and migrate the shared database's public schema meanwhile.
 */
@QuarkusTest
@TestProfile(DeliveryPostgresTest.Postgres.class)
class DeliveryPostgresTest extends DeliveryTest {

    @Inject
    StoreDataSource dataSource;

    /** pglz cost the server ~20 µs of CPU per member (BENCHMARKS.md, "PostgreSQL"): member data is stored as it is. */
    @Test
    void memberDataIsStoredUncompressed() throws Exception {
        try (Connection connection = dataSource.transaction();
                ResultSet storage = connection.createStatement().executeQuery("select attstorage from pg_attribute"
                        + " where attrelid = 'member_chunk_data'::regclass and attname = 'members'")) {
            storage.next();
            assertEquals("e", storage.getString(1), "STORAGE EXTERNAL: out of line, never compressed");
        }
    }

    public static class Postgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=delivery_pg_test",
                    "quarkus.datasource.username", "postgres",
                    // Flyway creates the schema when it is missing, and cleans only this one
                    "quarkus.flyway.schemas", "delivery_pg_test");
        }
    }
}
