package dev.infra.core.topology;

import dev.infra.core.diag.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated topology: typed, every component optional except the stack's identity.
 *
 * @param digest SHA-256 of the file's bytes, recorded in saved plans
 * @param region the region this topology is planned in: the file's, or another for a copy or a replica
 * @param fileRegion the file's {@code region:}, the stack's primary
 * @param backend where the state lives; {@code null}: locally
 * @param regions per-region settings ({@code regions:}) by region name
 * @param placement the stack's regions as this plan sees them
 */
public record Topology(String file, String digest, String stack, String region, String fileRegion, Map<String, String> tags,
                       Backend backend, Network network, Edge.Encryption encryption, Edge.EgressProxy egressProxy,
                       Edge.AccessProxy accessProxy, Map<String, Edge.LoadBalancer> loadBalancers,
                       Edge.Firewall firewall, Edge.Dns dns, Map<String, Edge.Cluster> clusters,
                       Map<String, Data.Table> tables, Map<String, Data.Cache> caches, Map<String, Data.Bucket> buckets,
                       Map<String, Data.Service> services, Data.Monitoring monitoring,
                       Map<String, Regions.Settings> regions, Regions.Placement placement, SourceLocation at) {

    /** The same topology as an independent copy in another region ({@code --region}), with its {@code regions.R} settings. */
    public Topology inRegion(String newRegion) {
        Regions.Settings s = regions.get(newRegion);
        return inRegion(newRegion, s == null ? null : s.zones());
    }

    /** As {@link #inRegion(String)}, in {@code zones} of that region ({@code null}: the same letters). */
    public Topology inRegion(String newRegion, List<String> zones) {
        if (newRegion.equals(region)) {
            return this;
        }
        Regions.Settings s = regions.get(newRegion);
        return moved(newRegion, s == null ? null : s.cidr(), zones, Regions.Placement.single(newRegion));
    }

    /** This (primary) topology knowing its replicas: its public records then route across regions. */
    public Topology withReplicas(List<String> replicas) {
        return new Topology(file, digest, stack, region, fileRegion, tags, backend, network, encryption, egressProxy,
                accessProxy, loadBalancers, firewall, dns, clusters, tables, caches, buckets, services, monitoring, regions,
                new Regions.Placement(region, replicas, placement.nameSuffix()), at);
    }

    /** This topology with the derived global names its state calls for ({@link Regions.Placement#nameSuffix}). */
    public Topology named(String nameSuffix) {
        return new Topology(file, digest, stack, region, fileRegion, tags, backend, network, encryption, egressProxy,
                accessProxy, loadBalancers, firewall, dns, clusters, tables, caches, buckets, services, monitoring, regions,
                new Regions.Placement(placement.primary(), placement.replicas(), nameSuffix), at);
    }

    /** Region {@code replica} as a replica of this (primary) topology, its VPC at {@code cidr} in {@code zones}. */
    public Topology asReplica(String replica, String cidr, List<String> zones, List<String> replicas) {
        return moved(replica, cidr, zones, new Regions.Placement(region, replicas, placement.nameSuffix()));
    }

    /** Whether this topology is planned as a replica of another region. */
    public boolean replica() {
        return !region.equals(placement.primary());
    }

    private Topology moved(String newRegion, String cidr, List<String> zones, Regions.Placement newPlacement) {
        Regions.Settings s = regions.get(newRegion);
        Map<String, Edge.LoadBalancer> lbs = new LinkedHashMap<>();
        loadBalancers.forEach((name, lb) -> lbs.put(name, s != null && s.certificates().containsKey(name)
                ? lb.withCertificate(s.certificates().get(name)) : lb));
        Network net = network == null ? null : network.moved(cidr == null ? network.cidr() : cidr,
                zones == null ? network.zones() : zones);
        // Zones are remapped by position (the second zone here is the second there): what names a zone follows.
        Map<String, Data.Service> placed = new LinkedHashMap<>();
        services.forEach((name, svc) -> placed.put(name, net == null ? svc
                : svc.inZone(net.zones().get(network.zones().indexOf(svc.zone())))));
        return new Topology(file, digest, stack, newRegion, fileRegion, tags, backend, net, encryption, egressProxy,
                accessProxy, lbs, firewall, dns, clusters, tables, caches, buckets, placed, monitoring, regions,
                newPlacement, at);
    }
}
