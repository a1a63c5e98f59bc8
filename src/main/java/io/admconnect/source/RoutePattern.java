package io.admconnect.source;

import io.admconnect.app.DerivedSetting;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Hands {@code camel.main.routes-include-pattern} ({@code CAMEL_MAIN_ROUTES_INCLUDE_PATTERN}) to
 * {@link RouteFiles} as {@code adm.routes.include-pattern} and hides it from Camel's own loader, which
 * would stop the whole bundle on one broken file.
 */
public class RoutePattern implements ConfigSourceInterceptor {

    static final String PATTERN = "adm.routes.include-pattern";
    private static final String CAMEL_PATTERN = "camel.main.routes-include-pattern";
    private static final String CAMEL_PATTERN_CAMEL_CASE = "camel.main.routesIncludePattern";
    private static final String DEFAULT = "file:routes/*.yaml";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (PATTERN.equals(name)) {
            ConfigValue configured = context.proceed(CAMEL_PATTERN);
            String pattern = configured == null || configured.getValue() == null || configured.getValue().isBlank()
                    ? DEFAULT : configured.getValue();
            return DerivedSetting.of("RoutePattern", name, pattern);
        }
        if (CAMEL_PATTERN.equals(name) || CAMEL_PATTERN_CAMEL_CASE.equals(name)) {
            // Camel loads no files itself; classpath:camel/* is its default, which this bundle does not use.
            return DerivedSetting.of("RoutePattern", name, "classpath:camel-none/*");
        }
        return context.proceed(name);
    }
}
