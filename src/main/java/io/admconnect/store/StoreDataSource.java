package io.admconnect.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The durable store's database: PostgreSQL when a URL is configured, else the embedded H2 files. */
@ApplicationScoped
public class StoreDataSource {

    @ConfigProperty(name = StoreSelection.POSTGRES_URL)
    Optional<String> postgresUrl;

    @Inject
    @Any
    Instance<AgroalDataSource> dataSources;

    private volatile AgroalDataSource selected;

    public boolean isPostgres() {
        return postgresUrl.filter(url -> !url.isBlank()).isPresent();
    }

    /** A connection with auto-commit off: callers commit what must be durable. */
    public Connection transaction() throws SQLException {
        Connection connection = dataSource().getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private AgroalDataSource dataSource() {
        if (selected == null) {
            selected = isPostgres()
                    ? dataSources.select(Default.Literal.INSTANCE).get()
                    : dataSources.select(new DataSource.DataSourceLiteral("embedded")).get();
        }
        return selected;
    }

    /** Where the store lives, for the startup log (no credentials). */
    public String describe() {
        return isPostgres() ? "PostgreSQL" : "embedded (H2 files)";
    }
}
