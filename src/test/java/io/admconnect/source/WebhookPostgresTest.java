package io.admconnect.source;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The same webhook tests (replays included) on the production store: the PostgreSQL at 127.0.0.1:5432. */
@QuarkusTest
@TestProfile(WebhookPostgresTest.Postgres.class)
class WebhookPostgresTest extends WebhookTest {

    public static class Postgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a schema of its own: other builds on the machine clean the shared public schema meanwhile
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=webhook_pg_test",
                    "quarkus.datasource.username", "postgres", "quarkus.flyway.schemas", "webhook_pg_test");
        }
    }
}
