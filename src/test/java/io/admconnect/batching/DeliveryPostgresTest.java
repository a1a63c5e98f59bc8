package io.admconnect.batching;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The same delivery tests on the production store: the PostgreSQL at 127.0.0.1:5432, in a schema of their
 * own, since other builds on the machine clean and migrate the shared database's public schema meanwhile.
 */
@QuarkusTest
@TestProfile(DeliveryPostgresTest.Postgres.class)
class DeliveryPostgresTest extends DeliveryTest {

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
