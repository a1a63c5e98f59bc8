package io.admconnect.source;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.admconnect.app.DerivedSetting;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Switches the shipped source routes on by their settings: {@code adm.source.<route>.enabled} is true
 * only when every required setting of the route is present. Routes use it as
 * {@code autoStartup: "{{adm.source.webhook.enabled}}"}, so a route whose settings are absent stays off
 * instead of failing; {@link SourceStatus} says so once at startup.
 */
public class SourceSwitches implements ConfigSourceInterceptor {

    /** Required settings of each shipped source; any of the alternatives in an inner list will do. */
    static final Map<String, List<List<String>>> REQUIRED = Map.of(
            "webhook", List.of(List.of("webhook.secret"), List.of("webhook.data-set")),
            "sftp", List.of(List.of("sftp.host"), List.of("sftp.username"), List.of("sftp.password", "sftp.private-key-file"),
                    List.of("sftp.data-set")),
            "salesforce", List.of(List.of("salesforce.client-id"), List.of("salesforce.client-secret"),
                    List.of("salesforce.refresh-token"), List.of("salesforce.data-set")));

    private static final String PREFIX = "adm.source.";
    private static final String SUFFIX = ".enabled";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return value;
        }
        List<List<String>> required = REQUIRED.get(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        if (required == null) {
            return null;
        }
        boolean enabled = missing(required, key -> {
            ConfigValue setting = context.proceed(key);
            return setting == null ? null : setting.getValue();
        }).isEmpty();
        return DerivedSetting.of("SourceSwitches", name, String.valueOf(enabled));
    }

    /** The settings (as environment variables) a source still lacks. */
    static List<String> missing(List<List<String>> required, Function<String, String> lookup) {
        return required.stream()
                .filter(alternatives -> alternatives.stream().map(lookup).allMatch(v -> v == null || v.isBlank()))
                .map(alternatives -> String.join(" or ", alternatives.stream().map(SourceSwitches::environmentName).toList()))
                .toList();
    }

    static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
