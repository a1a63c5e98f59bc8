package io.admconnect.source;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/** Says once at startup which shipped sources are on, and what an off source lacks. */
@ApplicationScoped
public class SourceStatus {

    private static final Logger LOG = Logger.getLogger(SourceStatus.class);

    void onStart(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        for (Map.Entry<String, List<List<String>>> source : new TreeMap<>(SourceSwitches.REQUIRED).entrySet()) {
            List<String> missing = SourceSwitches.missing(source.getValue(),
                    key -> config.getOptionalValue(key, String.class).orElse(null));
            if (missing.isEmpty()) {
                LOG.infof("Source %s: on", source.getKey());
            } else {
                LOG.infof("Source %s: off (set %s to switch it on)", source.getKey(), String.join(", ", missing));
            }
        }
    }
}
