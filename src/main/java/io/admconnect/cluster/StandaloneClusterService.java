package io.admconnect.cluster;

import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * {@code ADM_CLUSTER=none}: this process is the only member and leads every group as long as it runs, so
 * {@code master:} routes behave as plain routes and a single bundle needs no lock, lease or volume.
 */
final class StandaloneClusterService extends AbstractCamelClusterService<StandaloneClusterService.View> {

    StandaloneClusterService() {
        super("standalone");
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    static final class View extends AbstractCamelClusterView {

        private final CamelClusterMember self = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return isRunAllowed();
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return "standalone";
            }
        };

        View(CamelClusterService service, String namespace) {
            super(service, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return isRunAllowed() ? Optional.of(self) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }

        @Override
        protected void doStart() {
            fireLeadershipChangedEvent(self);
        }

        @Override
        protected void doStop() {
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
    }
}
