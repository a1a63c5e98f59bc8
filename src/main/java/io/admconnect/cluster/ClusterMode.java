package io.admconnect.cluster;

/** How replicas elect the leader of leader-only routes ({@code ADM_CLUSTER}). */
public enum ClusterMode {
    /** One process, always the leader: everything runs locally (the default). */
    NONE,
    /** A lock file in a directory every member sees (one host, or a shared volume). Used by the tests. */
    FILE,
    /** Kubernetes Leases, one per leader group, through the pod's ServiceAccount. */
    KUBERNETES
}
