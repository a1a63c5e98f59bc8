package io.admconnect.cluster;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.admconnect.adm.AdmMember;
import io.admconnect.batching.MemberStore;
import io.admconnect.sandbox.AdmSandbox;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.master.MasterConsumer;
import org.junit.jupiter.api.Test;

/**
 * ADM_CLUSTER=kubernetes against a Kubernetes API server (fabric8's, in CRUD mode): the bundle takes the
 * batcher's Lease when nobody holds it and runs the batcher; when the Lease goes to another ready pod it stops
 * polling at once and uploads nothing while the other pod leads; when that pod goes, it takes the Lease
 * back and delivers what was stored meanwhile, once.
 */
@QuarkusTest
@TestProfile(KubernetesLeaderElectionTest.OnKubernetes.class)
class KubernetesLeaderElectionTest {

    static final String NAMESPACE = "adm-test";
    static final String LEASE = "adm-connect-" + LeaderElection.BATCHER;
    static final String OTHER_POD = "adm-connect-other";

    @Inject
    CamelContext camel;

    @Inject
    MemberStore store;

    @Inject
    AdmSandbox sandbox;

    @Inject
    MeterRegistry registry;

    @Test
    void theBatcherRunsOnTheLeaseHolderOnlyAndStopsAtOnceWhenTheLeaseIsLost() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        KubernetesClient kubernetes = KubernetesApi.client;
        String self = KubernetesApi.podName();

        // nobody held the Lease: this pod takes it and the batcher runs here
        await().atMost(Duration.ofSeconds(10)).until(() -> holder(kubernetes).equals(self) && batcher().isMaster());
        store.append("k8s_lease", "test", members("lease-a", 50));
        await().atMost(Duration.ofSeconds(15)).until(() -> accepted("k8s_lease") == 50);

        // another ready pod holds the Lease now (as after this pod failed to renew in time)
        kubernetes.pods().inNamespace(NAMESPACE).resource(KubernetesApi.readyPod(OTHER_POD)).create();
        long[] handedOverAt = new long[1];
        // This pod may renew between the read and the write (409 Conflict): read again and retry, as a real pod would.
        await().atMost(Duration.ofSeconds(5)).ignoreException(KubernetesClientException.class).until(() -> {
            Lease lease = kubernetes.leases().inNamespace(NAMESPACE).withName(LEASE).get();
            handedOverAt[0] = System.nanoTime();
            kubernetes.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder(lease).editSpec().withHolderIdentity(OTHER_POD)
                    .withAcquireTime(ZonedDateTime.now()).withRenewTime(ZonedDateTime.now()).endSpec().build()).update();
            return true;
        });
        long handedOver = handedOverAt[0];
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> !batcher().isMaster());
        long stoppedMillis = (System.nanoTime() - handedOver) / 1_000_000;
        double ticks = batcherTicks();
        store.append("k8s_lease", "test", members("lease-b", 50));
        Thread.sleep(2_000);
        assertEquals(ticks, batcherTicks(), "the batcher does not poll while another pod leads");
        assertEquals(50, accepted("k8s_lease"), "nothing is uploaded from here while another pod leads");
        System.out.printf("KubernetesLeaderElectionTest: batcher stopped %d ms after the Lease went to another pod%n", stoppedMillis);
        assertTrue(stoppedMillis < 3_000, "stops within a retry period or so: " + stoppedMillis + " ms");

        // the other pod is gone: this one takes the Lease back (after waiting a lease duration) and delivers
        kubernetes.pods().inNamespace(NAMESPACE).withName(OTHER_POD).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> holder(kubernetes).equals(self) && accepted("k8s_lease") == 100);
        sandbox.dataSet("k8s_lease").members().forEach((id, member) -> assertEquals(1, member.timesAccepted(), id));
    }

    private MasterConsumer batcher() {
        return (MasterConsumer) camel.getRoute("adm-batcher").getConsumer();
    }

    private double batcherTicks() {
        Counter ticks = registry.find("camel.exchanges.total").tag("routeId", "adm-batcher").counter();
        return ticks == null ? 0 : ticks.count();
    }

    private static String holder(KubernetesClient kubernetes) {
        Lease lease = kubernetes.leases().inNamespace(NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    }

    private long accepted(String dataSet) {
        AdmSandbox.DataSet set = sandbox.dataSet(dataSet);
        return set == null ? 0 : set.acceptedCount();
    }

    private static List<AdmMember> members(String prefix, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> new AdmMember(AdmMember.CREATE, prefix + "-" + i,
                new AdmMember.UserIdentity(List.of(new AdmMember.HashedPii("a".repeat(63) + (i % 10), null, null, null, null, null, null, null))),
                new AdmMember.UserConsent(new AdmMember.Geo("US", null),
                        new AdmMember.Consent(new AdmMember.AmznConsent("GRANTED", "GRANTED"), null, null)))).toList();
    }

    public static class OnKubernetes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("adm.cluster", "kubernetes", "adm.leader.lease-duration", "2s", "adm.leader.renew-deadline", "1500ms",
                    "adm.leader.retry-period", "500ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KubernetesApi.class));
        }
    }

    /** The API server, with this test's pod in it (running, ready, labelled like the bundle's pods). */
    public static class KubernetesApi implements QuarkusTestResourceLifecycleManager {

        static final Map<String, String> SYSTEM_PROPERTIES = new HashMap<>();
        static KubernetesMockServer server;
        static KubernetesClient client;

        /** The name Camel's Kubernetes cluster service gives this process. */
        static String podName() {
            try {
                String host = System.getenv("HOSTNAME");
                return host != null ? host : InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static io.fabric8.kubernetes.api.model.Pod readyPod(String name) {
            return new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                    .addToLabels("app.kubernetes.io/name", "adm-connect").endMetadata()
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build();
        }

        @Override
        public Map<String, String> start() {
            server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
            server.init(InetAddress.getLoopbackAddress(), 0);
            client = server.createClient();
            client.pods().inNamespace(NAMESPACE).resource(readyPod(podName())).create();
            // quarkus.kubernetes-client.* are fixed at build time; at run time the client configures itself
            // (in a pod: the ServiceAccount), here from these system properties.
            SYSTEM_PROPERTIES.put("kubernetes.master", "http://127.0.0.1:" + server.getPort());
            SYSTEM_PROPERTIES.put("kubernetes.namespace", NAMESPACE);
            SYSTEM_PROPERTIES.put("kubernetes.auth.tryKubeConfig", "false");
            SYSTEM_PROPERTIES.put("kubernetes.auth.tryServiceAccount", "false");
            SYSTEM_PROPERTIES.forEach(System::setProperty);
            return Map.of();
        }

        @Override
        public void stop() {
            SYSTEM_PROPERTIES.keySet().forEach(System::clearProperty);
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.destroy();
            }
        }
    }
}
