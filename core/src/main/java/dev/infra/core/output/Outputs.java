package dev.infra.core.output;

import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.topology.Edge.Cluster;
import dev.infra.core.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What users connect to, read from the state after an apply: the VPC, the load balancers' DNS
 * names, table and bucket names, the Redis and OpenSearch endpoints, the cluster endpoints, and
 * the in-cluster step (Cilium, then the NGINX ingress on the NodePort the ALB target groups
 * forward to) as exact Helm commands. Secrets are named, never shown.
 */
public final class Outputs {

    /** Chart versions the printed Helm commands pin, so the step is reproducible. */
    static final String CILIUM_VERSION = "1.16.5";
    static final String INGRESS_NGINX_VERSION = "4.11.3";

    private Outputs() {}

    /** Output name → value; values absent from the state (not yet applied) are left out. */
    public static Map<String, Object> of(Topology topology, State state) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "vpc_id", id(state, "network/vpc"));
        put(out, "kms_key_arn", attr(state, "encryption/key", "arn"));
        topology.loadBalancers().keySet().forEach(lb ->
                put(out, "load_balancer_" + lb + "_dns_name", attr(state, "load-balancer." + lb + "/alb", "dnsName")));
        if (topology.dns() != null) {
            put(out, "dns_zone_id", id(state, "dns/zone"));
            // What the parent domain must delegate to: until it does, ACM cannot validate and nothing resolves.
            put(out, "dns_name_servers", attr(state, "dns/zone", "nameServers"));
            put(out, "dns_private_zone_id", id(state, "dns/private-zone"));
        }
        topology.tables().keySet().forEach(tb -> put(out, "table_" + tb + "_name", id(state, "table." + tb)));
        topology.buckets().keySet().forEach(b -> put(out, "bucket_" + b + "_name", id(state, "bucket." + b)));
        topology.caches().keySet().forEach(c -> {
            String g = "cache." + c + "/replication-group";
            put(out, "cache_" + c + "_endpoint", attr(state, g, "primaryEndpoint"));
            put(out, "cache_" + c + "_reader_endpoint", attr(state, g, "readerEndpoint"));
            put(out, "cache_" + c + "_auth_token_secret", id(state, "cache." + c + "/auth-token"));
        });
        topology.services().keySet().forEach(sv ->
                put(out, "service_" + sv + "_private_ip", attr(state, "service." + sv + "/instance", "privateIp")));
        if (topology.monitoring() != null && topology.monitoring().logSearch() != null) {
            Object endpoint = attr(state, "monitoring/log-search", "endpoint");
            put(out, "log_search_endpoint", endpoint);
            String bucket = id(state, "bucket." + topology.monitoring().logSearch().archiveBucket());
            put(out, "log_search_archive_bucket", bucket);
            Object role = attr(state, "monitoring/log-search/snapshot-role", "arn");
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
            put(out, "athena_workgroup", id(state, "monitoring/athena-workgroup"));
            put(out, "athena_database", id(state, "monitoring/glue-database"));
        }
        for (Cluster c : topology.clusters().values()) {
            String p = "cluster." + c.name() + "/cluster";
            Object endpoint = attr(state, p, "endpoint");
            put(out, "cluster_" + c.name() + "_name", id(state, p));
            put(out, "cluster_" + c.name() + "_endpoint", endpoint);
            if (endpoint != null) {
                out.put("cluster_" + c.name() + "_helm", helm(topology.region(), id(state, p), String.valueOf(endpoint), c));
            }
        }
        return out;
    }

    /**
     * The in-cluster step after the bare cluster is up: Cilium replaces the VPC CNI and kube-proxy
     * (so the API server is reached by its endpoint), then the NGINX ingress on a fixed NodePort.
     */
    static List<String> helm(String region, String clusterName, String endpoint, Cluster c) {
        String host = endpoint.replaceFirst("^https://", "");
        return List.of(
                "aws eks update-kubeconfig --region " + region + " --name " + clusterName,
                "helm repo add cilium https://helm.cilium.io && helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx",
                "helm upgrade --install cilium cilium/cilium --version " + CILIUM_VERSION + " --namespace kube-system"
                        + " --set kubeProxyReplacement=true --set k8sServiceHost=" + host + " --set k8sServicePort=443"
                        + " --set eni.enabled=true --set ipam.mode=eni --set routingMode=native"
                        + " --set egressMasqueradeInterfaces=eth+",
                "helm upgrade --install ingress-nginx ingress-nginx/ingress-nginx --version " + INGRESS_NGINX_VERSION
                        + " --namespace ingress-nginx --create-namespace --set controller.service.type=NodePort"
                        + " --set controller.service.nodePorts.http=" + c.ingressNodePort());
    }

    private static void put(Map<String, Object> out, String name, Object value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    private static String id(State state, String address) {
        ResourceState r = state.resources().get(address);
        return r == null ? null : r.id();
    }

    private static Object attr(State state, String address, String attribute) {
        ResourceState r = state.resources().get(address);
        return r == null ? null : r.attributes().get(attribute);
    }
}
