package dev.infra.core.topology;

import dev.infra.core.diag.SourceLocation;
import java.util.Map;

/**
 * The validated topology: typed, every component optional except the stack's identity.
 *
 * @param digest SHA-256 of the file's bytes, recorded in saved plans
 * @param backend where the state lives; {@code null}: locally
 */
public record Topology(String file, String digest, String stack, String region, Map<String, String> tags,
                       Backend backend, Network network, Edge.Encryption encryption, Edge.EgressProxy egressProxy,
                       Edge.AccessProxy accessProxy, Map<String, Edge.LoadBalancer> loadBalancers,
                       Edge.Firewall firewall, Edge.Dns dns, Map<String, Edge.Cluster> clusters,
                       Map<String, Data.Table> tables, Map<String, Data.Cache> caches, Map<String, Data.Bucket> buckets,
                       Map<String, Data.Service> services, Data.Monitoring monitoring, SourceLocation at) {

    /** The same topology aimed at another region ({@code --region}). */
    public Topology inRegion(String newRegion) {
        return new Topology(file, digest, stack, newRegion, tags, backend, network, encryption, egressProxy, accessProxy,
                loadBalancers, firewall, dns, clusters, tables, caches, buckets, services, monitoring, at);
    }
}
