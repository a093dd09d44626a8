package dev.infra.core.topology;

import static dev.infra.core.topology.TopologyLoader.text;
import static dev.infra.core.topology.TopologyLoader.texts;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.topology.Edge.LoadBalancer;
import dev.infra.core.yaml.YNode.YMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Binds {@code regions:} and checks each region's settings against the network and load balancers. */
final class RegionsBinder {

    private static final Pattern REGION = Pattern.compile(TopologyShape.REGION);

    private RegionsBinder() {}

    static Map<String, Regions.Settings> bind(YMap regions, String fileRegion, Network network,
                                               Map<String, LoadBalancer> lbs, Diagnostics diags) {
        Map<String, Regions.Settings> out = new LinkedHashMap<>();
        regions.entries().forEach((region, e) -> {
            String path = "regions." + region;
            if (!REGION.matcher(region).matches()) {
                diags.error(e.keyAt(), path, "'" + region + "' is not an AWS region name such as us-east-1");
            } else if (region.equals(fileRegion)) {
                diags.error(e.keyAt(), path, "this is the topology's own region: set its values at the top level");
            }
            YMap r = (YMap) e.value();
            YMap net = r.get("network") instanceof YMap n ? n : null;
            String cidr = net == null ? null : text(net.get("cidr"));
            List<String> zones = net == null || net.get("zones") == null ? null : texts(net.get("zones"));
            if (net != null && network == null) {
                diags.error(net.at(), path + ".network", "the topology has no 'network:' to change");
            } else if (cidr != null && !prefix(cidr).equals(prefix(network.cidr()))) {
                // Subnets move with the VPC block, keeping their offsets: that needs a block of the same size.
                diags.error(net.get("cidr").at(), path + ".network.cidr", "must be a /" + prefix(network.cidr())
                        + " like network.cidr " + network.cidr() + ", so the subnets keep their layout");
            }
            if (net != null && network != null && zones != null && zones.size() != network.zones().size()) {
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

    private static String prefix(String cidr) {
        return cidr.substring(cidr.indexOf('/') + 1);
    }
}
