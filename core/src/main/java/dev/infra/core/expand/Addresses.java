package dev.infra.core.expand;

import dev.infra.core.model.Address;

/**
 * The components' addresses, and those of the resources read outside the expander that makes them (by another
 * expander's refs, by {@code infra output}). What only one expander names stays in that expander.
 */
public final class Addresses {

    public static final Address NETWORK = Address.of("network");
    public static final Address VPC = NETWORK.child("vpc");
    public static final Address ENCRYPTION = Address.of("encryption");
    public static final Address KEY = ENCRYPTION.child("key");
    public static final Address EGRESS_PROXY = Address.of("egress-proxy");
    public static final Address ACCESS_PROXY = Address.of("access-proxy");
    public static final Address FIREWALL = Address.of("firewall");
    public static final Address DNS = Address.of("dns");
    public static final Address ZONE = DNS.child("zone");
    public static final Address PRIVATE_ZONE = DNS.child("private-zone");
    public static final Address MONITORING = Address.of("monitoring");
    public static final Address LOG_SEARCH = MONITORING.child("log-search");
    public static final Address SNAPSHOT_ROLE = LOG_SEARCH.child("snapshot-role");
    public static final Address ATHENA_WORKGROUP = MONITORING.child("athena-workgroup");
    public static final Address GLUE_DATABASE = MONITORING.child("glue-database");

    private Addresses() {}

    /** {@code network/subnet.<kind>-<zone>}, kind public or private. */
    public static Address subnet(String kind, String zone) {
        return NETWORK.child("subnet", kind + "-" + zone);
    }

    public static Address cluster(String name) {
        return Address.of("cluster", name);
    }

    /** The EKS cluster of the topology's cluster {@code name}. */
    public static Address eksCluster(String name) {
        return cluster(name).child("cluster");
    }

    public static Address loadBalancer(String name) {
        return Address.of("load-balancer", name);
    }

    public static Address alb(String name) {
        return loadBalancer(name).child("alb");
    }

    public static Address table(String name) {
        return Address.of("table", name);
    }

    public static Address bucket(String name) {
        return Address.of("bucket", name);
    }

    public static Address cache(String name) {
        return Address.of("cache", name);
    }

    public static Address replicationGroup(String cache) {
        return cache(cache).child("replication-group");
    }

    public static Address authToken(String cache) {
        return cache(cache).child("auth-token");
    }

    public static Address service(String name) {
        return Address.of("service", name);
    }

    public static Address instance(String service) {
        return service(service).child("instance");
    }

    public static Address glueTable(String name) {
        return MONITORING.child("glue-table", name);
    }
}
