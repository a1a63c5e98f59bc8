package io.admconnect.source;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of file drop routes ({@code routeConfigurationId: adm-file-drop}): none inside the route.
 * A failure ends the file's exchange as it is; the consumer's process strategy ({@link FileDropMoves})
 * decides where the file goes and logs the outcome once, without the exchange (whose chunks hold records).
 */
@ApplicationScoped
public class FileDropErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("adm-file-drop").errorHandler(noErrorHandler());
    }
}
