package io.admconnect.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.admconnect.app.AdmSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.jboss.logging.Logger;

/**
 * Leader election for the routes that must run on one replica at a time: pollers (SFTP, Salesforce) and
 * the batcher. Such a route starts with {@code master:<group>:<uri>}; Camel's master component starts the
 * wrapped consumer only on the member that leads the group and stops it as soon as leadership is lost.
 * This produces the one cluster service behind it (Camel picks it up from the registry), by {@code ADM_CLUSTER}:
 * <ul>
 * <li>{@code none} (default): this process always leads; everything runs locally, nothing to set up.
 * <li>{@code kubernetes}: a Kubernetes Lease per group ({@code <ADM_LEADER_LEASE_PREFIX>-<group>}) in the pod's
 * namespace, the pod name ({@code HOSTNAME}) as holder; needs the Role in {@code k8s/base}.
 * <li>{@code file}: a lock file per group in a directory every member sees (the multi-process tests).
 * </ul>
 */
@ApplicationScoped
public class LeaderElection {

    /** The leader group of the batcher (its Lease is {@code adm-connect-adm-batcher}). */
    public static final String BATCHER = "adm-batcher";

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    @Produces
    @Singleton
    CamelClusterService clusterService(AdmSettings settings, Instance<Config> kubernetesConfig, Instance<Vertx> vertx) {
        AdmSettings.Leader leader = settings.leader();
        return switch (settings.cluster()) {
            case NONE -> {
                LOG.info("Leader election: none (ADM_CLUSTER=none); this process runs every leader-only route."
                        + " Run a single replica, or set ADM_CLUSTER=kubernetes");
                yield new StandaloneClusterService();
            }
            case FILE -> fileLock(leader, Path.of(leader.directory().orElse(Path.of(settings.dataDir(), "leader").toString())));
            case KUBERNETES -> kubernetes(leader, kubernetesConfig.get(), vertx.get());
        };
    }

    private static CamelClusterService fileLock(AdmSettings.Leader leader, Path directory) {
        FileLockClusterService service = new FileLockClusterService();
        service.setId("adm-connect");
        service.setRoot(directory.toAbsolutePath().toString());
        long retry = leader.retryPeriod().toMillis();
        service.setAcquireLockInterval(retry, TimeUnit.MILLISECONDS);
        service.setAcquireLockDelay(retry, TimeUnit.MILLISECONDS);
        // A leader whose heartbeat is older than the lease duration is stale, as with Kubernetes leases.
        long lease = leader.leaseDuration().toMillis();
        service.setHeartbeatTimeoutMultiplier((int) Math.max(2, (lease + retry - 1) / retry));
        LOG.infof("Leader election: file locks in %s (lease %s, checked every %s)", service.getRoot(),
                leader.leaseDuration(), leader.retryPeriod());
        return service;
    }

    private static CamelClusterService kubernetes(AdmSettings.Leader leader, Config config, Vertx vertx) {
        KubernetesClusterService service = new KubernetesClusterService(new ClientPerView(config, vertx));
        service.setId("adm-connect");
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(leader.leasePrefix());
        service.setClusterLabels(labels(leader.podSelector()));
        service.setLeaseDurationMillis(leader.leaseDuration().toMillis());
        service.setRenewDeadlineMillis(leader.renewDeadline().toMillis());
        service.setRetryPeriodMillis(leader.retryPeriod().toMillis());
        // The pod name comes from HOSTNAME (Camel's default), which Kubernetes sets to it.
        LOG.infof("Leader election: Kubernetes Leases %s-<group> in namespace %s, pods %s, lease %s", leader.leasePrefix(),
                config.getNamespace(), leader.podSelector(), leader.leaseDuration());
        return service;
    }

    static Map<String, String> labels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException("ADM_LEADER_POD_SELECTOR must be k=v pairs separated by commas: " + selector);
            }
            labels.put(parts[0].trim(), parts[1].trim());
        }
        return labels;
    }

    /**
     * Camel's Kubernetes cluster view closes its client when it stops (a route using its group stopped), and
     * reuses the configured one when it starts again: each view start gets a new client, built from the
     * Quarkus Kubernetes client configuration ({@code quarkus.kubernetes-client.*}, in-cluster ServiceAccount)
     * on the application's Vert.x, so one view stopping never closes another's connection.
     */
    static final class ClientPerView extends KubernetesConfiguration {

        private final transient Config config;
        private final transient Vertx vertx;

        ClientPerView(Config config, Vertx vertx) {
            this.config = config;
            this.vertx = vertx;
        }

        @Override
        public KubernetesClient getKubernetesClient() {
            return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new VertxHttpClientFactory(vertx)).build();
        }

        @Override
        public String toString() {
            return "ClientPerView[" + config.getMasterUrl() + "]";
        }
    }
}
