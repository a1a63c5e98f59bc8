package io.admconnect.app;

import io.smallrye.config.ConfigValue;

/** A setting the bundle derives from others (in a config interceptor), named after what derived it. */
public final class DerivedSetting {

    private DerivedSetting() {
    }

    public static ConfigValue of(String derivedBy, String name, String value) {
        // Quarkus records derived values at build time too: the source name and raw value must be set.
        return ConfigValue.builder().withName(name).withConfigSourceName(derivedBy).withValue(value).withRawValue(value).build();
    }
}
