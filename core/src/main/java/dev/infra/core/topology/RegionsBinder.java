package dev.infra.core.topology;

import static dev.infra.core.topology.TopologyLoader.text;
import static dev.infra.core.topology.TopologyLoader.texts;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.topology.Edge.LoadBalancer;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YNode.YMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds {@code regions:} and checks each region's settings against the network and load balancers. */
final class RegionsBinder {

    private RegionsBinder() {}

    static Map<String, Regions.Settings> bind(YMap regions, String fileRegion, Network network,
                                               Map<String, LoadBalancer> lbs, ShapeChecker.Result shape,
                                               Diagnostics diags) {
        Map<String, Regions.Settings> out = new LinkedHashMap<>();
        // The VPC blocks seen so far (the primary's first), by who has them: replicas must overlap none of them.
        Map<String, String> blocks = new LinkedHashMap<>();
        if (network != null && network.cidr() != null) {
            blocks.put("network.cidr", network.cidr());
        }
        // A free block to suggest must be free of every region's, not only of those before.
        List<String> taken = new ArrayList<>(blocks.values());
        regions.entries().values().forEach(e -> {
            if (e.value() instanceof YMap r && r.get("network") instanceof YMap n && text(n.get("cidr")) != null) {
                taken.add(text(n.get("cidr")));
            }
        });
        regions.entries().forEach((region, e) -> {
            String path = "regions." + region;
            if (region.equals(fileRegion)) {
                diags.error(e.keyAt(), path, "this is the topology's own region: set its values at the top level");
            }
            YMap r = (YMap) e.value();
            YMap net = r.get("network") instanceof YMap n ? n : null;
            String cidr = net == null ? null : text(net.get("cidr"));
            List<String> zones = net == null || net.get("zones") == null ? null : texts(net.get("zones"));
            if (net != null && network == null) {
                diags.error(net.at(), path + ".network", "the topology has no 'network:' to change");
            } else if (cidr != null && network.cidr() != null) {
                checkBlock(net.get("cidr"), path + ".network.cidr", network.cidr(), blocks, taken, diags);
            }
            if (net != null && network != null && zones != null && zones.size() != network.zones().size()
                    && !shape.refused("network.zones")) {
                diags.error(net.get("zones").at(), path + ".network.zones", "lists " + zones.size()
                        + " zones; network.zones has " + network.zones().size() + " and the subnets are laid out per zone");
            }
            Map<String, String> certificates = new LinkedHashMap<>();
            if (r.get("certificates") instanceof YMap certs) {
                certs.entries().forEach((lb, c) -> {
                    if (!lbs.containsKey(lb)) {
                        diags.error(c.keyAt(), path + ".certificates." + lb, "no load balancer named '" + lb + "'"
                                + Names.didYouMean(lb, lbs.keySet()));
                    }
                    String arn = text(c.value());
                    if (!region.equals(arn.split(":")[3])) {
                        diags.error(c.value().at(), path + ".certificates." + lb, "the certificate is in "
                                + arn.split(":")[3] + ", not " + region + ": ACM certificates are regional");
                    }
                    certificates.put(lb, arn);
                });
            }
            out.put(region, new Regions.Settings(region, cidr, zones, certificates, r.at()));
        });
        return out;
    }

    /**
     * A region's own VPC block: as long as the primary's (subnets move with the VPC block, keeping their offsets), and
     * overlapping no block before it, the primary's nor another region's, so that the regions can be peered.
     */
    private static void checkBlock(YNode node, String path, String primary, Map<String, String> blocks,
                                   List<String> taken, Diagnostics diags) {
        String cidr = text(node);
        if (!prefix(cidr).equals(prefix(primary))) {
            diags.error(node.at(), path, "must be a /" + prefix(primary) + " like network.cidr " + primary
                    + ", so the subnets keep their layout");
            return;
        }
        blocks.entrySet().stream()
                .filter(b -> Cidrs.overlaps(Cidrs.block(b.getValue()), Cidrs.block(cidr)))
                .findFirst()
                .ifPresent(b -> diags.error(node.at(), path, "'" + cidr + "' overlaps " + b.getKey() + " " + b.getValue()
                        + ": every region of the stack has a VPC block of its own"
                        + Cidrs.firstFree(primary, taken).map(f -> "; " + f + " is free").orElse("")));
        blocks.put(path, cidr);
    }

    private static String prefix(String cidr) {
        return cidr.substring(cidr.indexOf('/') + 1);
    }
}
