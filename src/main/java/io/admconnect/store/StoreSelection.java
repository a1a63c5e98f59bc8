package io.admconnect.store;

import java.nio.file.Path;

import io.admconnect.app.DerivedSetting;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Picks the durable store at runtime: the embedded datasource is active only when no PostgreSQL URL
 * ({@code QUARKUS_DATASOURCE_JDBC_URL}) is configured, so production needs no rebuild and no second switch
 * (the PostgreSQL datasource is inactive by itself while it has no URL). The embedded store's URL is
 * derived from {@code ADM_DATA_DIR}, made absolute because H2 refuses implicitly relative paths.
 */
public class StoreSelection implements ConfigSourceInterceptor {

    static final String POSTGRES_URL = "quarkus.datasource.jdbc.url";
    static final String EMBEDDED_ACTIVE = "quarkus.datasource.embedded.active";
    static final String EMBEDDED_URL = "quarkus.datasource.embedded.jdbc.url";
    static final String DATA_DIR = "adm.data-dir";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !(EMBEDDED_ACTIVE.equals(name) || EMBEDDED_URL.equals(name))) {
            return value;
        }
        if (EMBEDDED_URL.equals(name)) {
            ConfigValue dataDir = context.proceed(DATA_DIR);
            Path directory = Path.of(dataDir == null || dataDir.getValue() == null ? "./data" : dataDir.getValue()).toAbsolutePath().normalize();
            // WRITE_DELAY=0: a commit is in the file before it returns, so it survives kill -9.
            // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the store while the bundle still serves
            // during the shutdown delay; the connection pool closes it last instead. QUERY_CACHE_SIZE: each pooled
            // session sees all of the store's statements; H2's default (8) had it parse them again and again.
            return derived(name, "jdbc:h2:file:" + directory.resolve("adm-connect") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64");
        }
        ConfigValue postgresUrl = context.proceed(POSTGRES_URL);
        boolean postgres = postgresUrl != null && postgresUrl.getValue() != null && !postgresUrl.getValue().isBlank();
        return derived(name, String.valueOf(!postgres));
    }

    private static ConfigValue derived(String name, String value) {
        return DerivedSetting.of("StoreSelection", name, value);
    }
}
