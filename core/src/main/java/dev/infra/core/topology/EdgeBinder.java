package dev.infra.core.topology;

import static dev.infra.core.topology.TopologyLoader.intOr;
import static dev.infra.core.topology.TopologyLoader.items;
import static dev.infra.core.topology.TopologyLoader.mapOr;
import static dev.infra.core.topology.TopologyLoader.text;
import static dev.infra.core.topology.TopologyLoader.texts;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.topology.Edge.AccessProxy;
import dev.infra.core.topology.Edge.AuthServers;
import dev.infra.core.topology.Edge.Capacity;
import dev.infra.core.topology.Edge.Cluster;
import dev.infra.core.topology.Edge.Dns;
import dev.infra.core.topology.Edge.DnsRecord;
import dev.infra.core.topology.Edge.EgressProxy;
import dev.infra.core.topology.Edge.Encryption;
import dev.infra.core.topology.Edge.Firewall;
import dev.infra.core.topology.Edge.LoadBalancer;
import dev.infra.core.topology.Edge.NodeGroup;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YNode.YMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Semantic checks and binding of the components around the network (the seed's §2, §4, §6, §7). */
final class EdgeBinder {

    static final String AMAZON_LINUX = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    static final String WAF_LOG_PREFIX = "aws-waf-logs-";

    private EdgeBinder() {}

    /** The bound components; {@code null} where the topology has none. */
    record Bound(Encryption encryption, EgressProxy egressProxy, AccessProxy accessProxy,
                 Map<String, LoadBalancer> loadBalancers, Firewall firewall, Dns dns, Map<String, Cluster> clusters) {}

    static Bound bind(YMap root, Network network, ShapeChecker.Result shape, Diagnostics diags) {
        Encryption encryption = root.get("encryption") instanceof YMap e ? encryption(e) : null;
        Map<String, Cluster> clusters = new LinkedHashMap<>();
        if (root.get("clusters") instanceof YMap cs) {
            cs.entries().forEach((name, e) -> clusters.put(name, cluster(name, (YMap) e.value(), diags)));
        }
        EgressProxy egress = root.get("egressProxy") instanceof YMap e ? egressProxy(e, diags) : null;
        AccessProxy access = root.get("accessProxy") instanceof YMap a ? accessProxy(a, diags) : null;
        Map<String, LoadBalancer> lbs = new LinkedHashMap<>();
        if (root.get("loadBalancers") instanceof YMap ls) {
            ls.entries().forEach((name, e) -> lbs.put(name, loadBalancer(name, (YMap) e.value(), clusters, diags)));
            // The file's region here; a copy's or replica's region when it is placed there (Placement).
            String region = text(root.get("region"));
            lbs.values().forEach(lb -> lb.certificateOutside(region).ifPresent(diags::add));
        }
        Firewall firewall = root.get("firewall") instanceof YMap f ? firewall(f, diags) : null;
        Dns dns = root.get("dns") instanceof YMap d ? dns(d, lbs, shape, diags) : null;

        requireNetwork(root, network, diags, "egressProxy", "accessProxy", "loadBalancers", "clusters");
        if (network == null && dns != null && dns.privateZone() != null) {
            diags.error(root.get("dns").at(), "dns.privateZone", "a private zone lives in the VPC: add 'network:'");
        }
        // Seed §6: all nodes and volumes are encrypted with the stack's key.
        for (String key : List.of("egressProxy", "accessProxy", "clusters")) {
            if (root.get(key) != null && encryption == null) {
                diags.error(at(root, key), key, "every volume and the cluster secrets are encrypted with the stack's key: add 'encryption:'");
            }
        }
        // Seed §4: WAF sits in front of both ALBs.
        if (!lbs.isEmpty() && firewall == null) {
            diags.error(at(root, "loadBalancers"), "loadBalancers", "the WAF covers every load balancer: add 'firewall:'");
        }
        if (firewall != null && lbs.isEmpty()) {
            diags.warning(at(root, "firewall"), "firewall", "no load balancer to protect: the web ACL will cover nothing");
        }
        // Seed §2: only the access proxy, the egress proxy, NAT gateways and the public ALB sit in public subnets.
        List<String> publicLbs = lbs.values().stream().filter(LoadBalancer::internetFacing).map(LoadBalancer::name).toList();
        if (publicLbs.size() > 1) {
            LoadBalancer second = lbs.get(publicLbs.get(1));
            diags.error(second.at(), "loadBalancers." + second.name() + ".scheme", "only one public ALB may sit in the public subnets ('"
                    + publicLbs.get(0) + "' already does); make this one internal");
        }
        // A requested certificate is validated by a record in the public zone: its name must be under it.
        YMap lbNodes = root.get("loadBalancers") instanceof YMap m ? m : null;
        lbs.values().stream().filter(lb -> lb.domain() != null).forEach(lb -> {
            YNode at = ((YMap) lbNodes.get(lb.name())).get("domain");
            if (dns == null) {
                diags.error(at.at(), "loadBalancers." + lb.name() + ".domain", "a requested certificate is validated by"
                        + " DNS in the stack's public zone: add 'dns: {zone: …}'");
            } else if (dns.zone() != null && !lb.domain().equals(dns.zone()) && !lb.domain().endsWith("." + dns.zone())) {
                diags.error(at.at(), "loadBalancers." + lb.name() + ".domain", "'" + lb.domain() + "' is not under the"
                        + " zone " + dns.zone() + ", where its certificate is validated");
            }
        });
        return new Bound(encryption, egress, access, lbs, firewall, dns, clusters);
    }

    /** The name a reference such as {@code clusters.apps} names (its pattern has the prefix); {@code null} when absent. */
    static String reference(YNode node, String prefix) {
        String ref = text(node);
        return ref == null ? null : ref.substring(prefix.length());
    }

    private static void requireNetwork(YMap root, Network network, Diagnostics diags, String... keys) {
        for (String key : keys) {
            if (network == null && root.get(key) != null) {
                diags.error(at(root, key), key, "needs the VPC it lives in: add 'network:'");
            }
        }
    }

    private static SourceLocation at(YMap root, String key) {
        return root.entries().get(key).keyAt();
    }

    private static Encryption encryption(YMap e) {
        YMap key = e.get("key") instanceof YMap k ? k : null;
        return new Encryption(
                key == null || !"false".equals(text(key.get("rotation"))),
                key != null && "true".equals(text(key.get("multiRegion"))),
                key == null ? 30 : intOr(key.get("deletionWindowDays"), 30),
                !"false".equals(text(e.get("ebsDefault"))),
                e.at());
    }

    /** The group's bounds; checked only when both are given (the shape check reports a missing one). */
    private static Capacity capacity(YMap parent, String path, Diagnostics diags) {
        YMap c = mapOr(parent.get("capacity"), parent.at());
        int min = intOr(c.get("min"), 1);
        int max = intOr(c.get("max"), 1);
        int desired = intOr(c.get("desired"), min);
        if (c.get("min") != null && c.get("max") != null) {
            if (min > max) {
                diags.error(c.at(), path + ".capacity", "min (" + min + ") is larger than max (" + max + ")");
            } else if (desired < min || desired > max) {
                diags.error(c.get("desired").at(), path + ".capacity.desired", "must be between min (" + min + ") and max (" + max + ")");
            }
        }
        return new Capacity(min, max, desired, intOr(c.get("cpuTarget"), 0));
    }

    private static EgressProxy egressProxy(YMap e, Diagnostics diags) {
        List<String> domains = texts(e.get("allowedDomains"));
        if (e.get("allowedDomains") != null && domains.isEmpty()) {
            diags.error(e.get("allowedDomains").at(), "egressProxy.allowedDomains", "an empty allowlist denies everything; list at least one domain");
        }
        return new EgressProxy(text(e.get("instanceType"), "t3.small"), text(e.get("ami"), AMAZON_LINUX),
                capacity(e, "egressProxy", diags), domains, intOr(e.get("port"), 3128), e.at());
    }

    private static AccessProxy accessProxy(YMap a, Diagnostics diags) {
        YMap auth = a.get("authServers") instanceof YMap m ? m : null;
        AuthServers servers = new AuthServers(auth == null ? 2 : intOr(auth.get("count"), 2),
                auth == null ? "t3.medium" : text(auth.get("instanceType"), "t3.medium"),
                auth == null ? 20 : intOr(auth.get("volumeSize"), 20));
        List<String> cidrs = a.get("allowedCidrs") == null ? List.of("0.0.0.0/0") : texts(a.get("allowedCidrs"));
        return new AccessProxy(text(a.get("instanceType"), "t3.medium"), text(a.get("ami"), AMAZON_LINUX),
                capacity(a, "accessProxy", diags), cidrs, servers, a.at());
    }

    private static LoadBalancer loadBalancer(String name, YMap l, Map<String, Cluster> clusters, Diagnostics diags) {
        String cluster = reference(l.get("target"), "clusters.");
        if (cluster != null && !clusters.containsKey(cluster)) {
            diags.error(l.get("target").at(), "loadBalancers." + name + ".target", "no cluster named '" + cluster + "'"
                    + Names.didYouMean(cluster, clusters.keySet()));
        }
        if (l.get("domain") != null && l.get("certificateArn") != null) {
            diags.error(l.get("domain").at(), "loadBalancers." + name + ".domain", "give 'certificateArn' or 'domain',"
                    + " not both: with 'domain', infra requests the certificate itself");
        }
        return new LoadBalancer(name, "internet-facing".equals(text(l.get("scheme"))), text(l.get("certificateArn")),
                text(l.get("domain")), cluster, l.at());
    }

    private static Firewall firewall(YMap f, Diagnostics diags) {
        String bucket = text(f.get("logBucket"));
        if (bucket != null && !bucket.startsWith(WAF_LOG_PREFIX)) {
            diags.error(f.get("logBucket").at(), "firewall.logBucket", "AWS WAF only logs to buckets whose name starts with '"
                    + WAF_LOG_PREFIX + "'; did you mean '" + WAF_LOG_PREFIX + bucket + "'?");
        }
        List<String> groups = f.get("managedRuleGroups") == null
                ? List.of("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")
                : texts(f.get("managedRuleGroups"));
        return new Firewall(groups, intOr(f.get("rateLimit"), 2000), bucket, f.at());
    }

    private static Dns dns(YMap d, Map<String, LoadBalancer> lbs, ShapeChecker.Result shape, Diagnostics diags) {
        String privateZone = text(d.get("privateZone"));
        List<DnsRecord> records = new ArrayList<>();
        List<YNode> list = items(d.get("records"));
        for (int i = 0; i < list.size(); i++) {
            YMap r = (YMap) list.get(i);
            String path = "dns.records[" + i + "]";
            String lb = reference(r.get("target"), "loadBalancers.");
            boolean inPrivate = "true".equals(text(r.get("private")));
            if (lb != null && !lbs.containsKey(lb)) {
                diags.error(r.get("target").at(), path + ".target", "no load balancer named '" + lb + "'"
                        + Names.didYouMean(lb, lbs.keySet()));
            } else if (lb != null && !inPrivate && !lbs.get(lb).internetFacing()
                    && !shape.refused("loadBalancers." + lb + ".scheme")) {
                diags.error(r.get("target").at(), path + ".target", "'" + lb
                        + "' is internal: a public record cannot reach it; set 'private: true'");
            }
            if (inPrivate && privateZone == null && !shape.refused("dns.privateZone")) {
                diags.error(r.at(), path + ".private", "there is no private zone: add 'dns.privateZone'");
            }
            records.add(new DnsRecord(text(r.get("name")), lb, inPrivate, r.at()));
        }
        return new Dns(text(d.get("zone")), text(d.get("zoneId")), privateZone, records, "latency".equals(text(d.get("routing"))),
                text(d.get("healthCheckPath"), "/"), d.at());
    }

    private static Cluster cluster(String name, YMap c, Diagnostics diags) {
        Map<String, NodeGroup> groups = new LinkedHashMap<>();
        mapOr(c.get("nodeGroups"), c.at()).entries().forEach((ng, e) -> {
            YMap g = (YMap) e.value();
            int min = intOr(g.get("min"), 1);
            int max = intOr(g.get("max"), 1);
            int desired = intOr(g.get("desired"), min);
            if (g.get("min") != null && g.get("max") != null && (min > max || desired < min || desired > max)) {
                diags.error(g.at(), "clusters." + name + ".nodeGroups." + ng, "needs min <= desired <= max, got "
                        + min + " <= " + desired + " <= " + max);
            }
            List<String> types = g.get("instanceTypes") == null ? List.of("m5.large") : texts(g.get("instanceTypes"));
            groups.put(ng, new NodeGroup(ng, types, min, max, desired));
        });
        YMap ingress = c.get("ingress") instanceof YMap i ? i : null;
        boolean addons = !"false".equals(text(c.get("addons")));
        List<String> deferred = List.of();
        if (!addons && !"true".equals(text(c.get("cniInstalled"))) && !groups.isEmpty()) {
            // Nodes without a CNI stay NotReady and their group ends CREATE_FAILED: the groups wait for the user's CNI.
            deferred = List.copyOf(groups.keySet());
            groups.clear();
            diags.warning(c.at(), "clusters." + name, "addons: false: node groups " + String.join(", ", deferred)
                    + " wait until a CNI runs in the cluster: once the cluster is applied, install one ('infra output"
                    + " cluster_" + name + "_cni' prints the Cilium install infra would run), then set clusters." + name
                    + ".cniInstalled: true and apply again to create them");
        }
        return new Cluster(name, text(c.get("version"), "1.31"), text(c.get("cni"), "cilium"),
                text(c.get("cniVersion"), Cluster.CILIUM_VERSION),
                ingress == null ? 30080 : intOr(ingress.get("nodePort"), 30080),
                ingress == null ? Cluster.INGRESS_NGINX_VERSION : text(ingress.get("version"), Cluster.INGRESS_NGINX_VERSION),
                "true".equals(text(c.get("endpointPublicAccess"))), addons, groups, deferred, c.at());
    }

}
