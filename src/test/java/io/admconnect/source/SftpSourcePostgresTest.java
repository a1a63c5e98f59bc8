package io.admconnect.source;

import java.util.Map;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The same SFTP drop tests on the production store: the PostgreSQL at 127.0.0.1:5432. */
@QuarkusTest
@TestProfile(SftpSourcePostgresTest.Postgres.class)
@WithTestResource(SftpServer.class)
class SftpSourcePostgresTest extends SftpSourceTest {

    public static class Postgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a schema of its own: other builds on the machine clean the shared public schema meanwhile
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=sftp_pg_test",
                    "quarkus.datasource.username", "postgres", "quarkus.flyway.schemas", "sftp_pg_test");
        }
    }
}
