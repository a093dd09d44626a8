package dev.infra.core.output;

import dev.infra.core.expand.Addresses;
import dev.infra.core.expand.ClusterExpander;
import dev.infra.core.model.Address;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.topology.Edge.Cluster;
import dev.infra.core.topology.Topology;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What users connect to, read from the state after an apply: the VPC, the load balancers' DNS
 * names, table and bucket names, the Redis and OpenSearch endpoints, the cluster endpoints,
 * how to reach each cluster with kubectl, and an example Athena query per Glue table. Secrets are named, never shown.
 */
public final class Outputs {

    private Outputs() {}

    /**
     * One example query per Glue table, in the stack's workgroup; the projected tables name the partitions they read, so
     * a query scans a day (or an hour) rather than everything.
     */
    static final Map<String, String> QUERIES = orderedQueries();

    private static Map<String, String> orderedQueries() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("cloudtrail", "SELECT eventtime, eventsource, eventname, useridentity.arn, errorcode FROM <table>"
                + " WHERE errorcode IS NOT NULL ORDER BY eventtime DESC LIMIT 20");
        q.put("waf", "SELECT httprequest.clientip, terminatingruleid, count(*) AS requests FROM <table>"
                + " WHERE action = 'BLOCK' GROUP BY 1, 2 ORDER BY requests DESC LIMIT 20");
        q.put("alb", "SELECT elb_status_code, count(*) AS requests FROM <table> GROUP BY 1 ORDER BY requests DESC");
        q.put("vpc_flow", "SELECT srcaddr, dstaddr, dstport, sum(bytes) AS bytes FROM <table>"
                + " WHERE hour >= date_format(now() - interval '1' day, '%Y/%m/%d/%H') AND action = 'REJECT'"
                + " GROUP BY 1, 2, 3 ORDER BY bytes DESC LIMIT 20");
        q.put("guardduty", "SELECT type, CAST(severity AS double) AS severity, title, createdat FROM <table>"
                + " WHERE day >= date_format(current_date - interval '7' day, '%Y/%m/%d') ORDER BY 2 DESC LIMIT 20");
        q.put("cloudwatch", "SELECT \"group\", logstream, from_unixtime(e.timestamp / 1000) AS at, e.message FROM <table>"
                + " CROSS JOIN UNNEST(logevents) AS t(e) WHERE day = date_format(current_date, '%Y/%m/%d') LIMIT 50");
        return Collections.unmodifiableMap(q);
    }

    /** Output name → value; values absent from the state (not yet applied) are left out. */
    public static Map<String, Object> of(Topology topology, State state) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "vpc_id", id(state, Addresses.VPC));
        put(out, "kms_key_arn", attr(state, Addresses.KEY, "arn"));
        topology.loadBalancers().keySet().forEach(lb ->
                put(out, "load_balancer_" + lb + "_dns_name", attr(state, Addresses.alb(lb), "dnsName")));
        if (topology.dns() != null) {
            put(out, "dns_zone_id", id(state, Addresses.ZONE));
            // What the parent domain must delegate to: until it does, ACM cannot validate and nothing resolves.
            put(out, "dns_name_servers", attr(state, Addresses.ZONE, "nameServers"));
            put(out, "dns_private_zone_id", id(state, Addresses.PRIVATE_ZONE));
        }
        topology.tables().keySet().forEach(tb -> put(out, "table_" + tb + "_name", id(state, Addresses.table(tb))));
        topology.buckets().keySet().forEach(b -> put(out, "bucket_" + b + "_name", id(state, Addresses.bucket(b))));
        topology.caches().keySet().forEach(c -> {
            Address g = Addresses.replicationGroup(c);
            put(out, "cache_" + c + "_endpoint", attr(state, g, "primaryEndpoint"));
            put(out, "cache_" + c + "_reader_endpoint", attr(state, g, "readerEndpoint"));
            put(out, "cache_" + c + "_auth_token_secret", id(state, Addresses.authToken(c)));
        });
        topology.services().keySet().forEach(sv ->
                put(out, "service_" + sv + "_private_ip", attr(state, Addresses.instance(sv), "privateIp")));
        if (topology.monitoring() != null && topology.monitoring().logSearch() != null) {
            Object endpoint = attr(state, Addresses.LOG_SEARCH, "endpoint");
            put(out, "log_search_endpoint", endpoint);
            String bucket = id(state, Addresses.bucket(topology.monitoring().logSearch().archiveBucket()));
            put(out, "log_search_archive_bucket", bucket);
            Object role = attr(state, Addresses.SNAPSHOT_ROLE, "arn");
            put(out, "log_search_snapshot_role", role);
            if (endpoint != null && bucket != null && role != null) {
                // OpenSearch Service Developer Guide, "Registering a manual snapshot repository": from inside the VPC,
                // by a principal that may pass the role.
                out.put("log_search_snapshot_registration", "awscurl --service es --region " + topology.region()
                        + " -X PUT https://" + endpoint + "/_snapshot/archive -H 'Content-Type: application/json' -d '"
                        + "{\"type\":\"s3\",\"settings\":{\"bucket\":\"" + bucket + "\",\"region\":\""
                        + topology.region() + "\",\"role_arn\":\"" + role + "\",\"server_side_encryption\":true}}'");
            }
        }
        if (topology.monitoring() != null && topology.monitoring().athenaBucket() != null) {
            put(out, "athena_workgroup", id(state, Addresses.ATHENA_WORKGROUP));
            String database = id(state, Addresses.GLUE_DATABASE);
            put(out, "athena_database", database);
            List<String> queries = database == null ? List.of() : QUERIES.entrySet().stream()
                    .filter(q -> state.resources().containsKey(Addresses.glueTable(q.getKey()).toString()))
                    .map(q -> q.getValue().replace("<table>", database + "." + q.getKey())).toList();
            if (!queries.isEmpty()) {
                out.put("athena_queries", queries);
            }
        }
        for (Cluster c : topology.clusters().values()) {
            Address p = Addresses.eksCluster(c.name());
            Object endpoint = attr(state, p, "endpoint");
            put(out, "cluster_" + c.name() + "_name", id(state, p));
            put(out, "cluster_" + c.name() + "_endpoint", endpoint);
            if (endpoint != null) {
                // The apply installs Cilium and the ingress itself; this is how a user reaches the cluster.
                out.put("cluster_" + c.name() + "_kubeconfig", "aws eks update-kubeconfig --region " + topology.region()
                        + " --name " + id(state, p));
                if (!c.deferredNodeGroups().isEmpty()) {
                    out.put("cluster_" + c.name() + "_cni", ciliumInstall(c, java.net.URI.create(endpoint.toString()).getHost()));
                }
            }
        }
        return out;
    }

    /**
     * With addons: false, the Cilium install infra would have run, for the user to run (or put in their GitOps
     * repository) before the node groups can be created.
     */
    static String ciliumInstall(Cluster c, String host) {
        StringBuilder sets = new StringBuilder();
        flatten("", ClusterExpander.ciliumValues(), sets);
        return "helm upgrade --install cilium cilium --repo " + ClusterExpander.CILIUM_REPOSITORY + " --version "
                + c.cniVersion() + " --namespace kube-system" + sets.toString().replace(ResourceSpec.CLUSTER_ENDPOINT_HOST, host);
    }

    private static void flatten(String prefix, Map<?, ?> values, StringBuilder out) {
        values.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                flatten(prefix + k + ".", m, out);
            } else {
                out.append(" --set ").append(prefix).append(k).append('=').append(v);
            }
        });
    }

    private static void put(Map<String, Object> out, String name, Object value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    private static String id(State state, Address address) {
        ResourceState r = state.resources().get(address.toString());
        return r == null ? null : r.id();
    }

    private static Object attr(State state, Address address, String attribute) {
        ResourceState r = state.resources().get(address.toString());
        return r == null ? null : r.attributes().get(attribute);
    }
}
