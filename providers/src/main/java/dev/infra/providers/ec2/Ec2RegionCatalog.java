package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.provider.RegionCatalog;
import dev.infra.providers.AwsClients;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Filter;

/** The region's availability zones, from DescribeAvailabilityZones (one call per instance). */
public final class Ec2RegionCatalog implements RegionCatalog {

    private final AwsClients clients;
    /** Read once per command: choosing a copy's zones and checking them both ask. */
    private volatile List<String> zones;

    public Ec2RegionCatalog(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public List<String> availabilityZones() {
        List<String> known = zones;
        if (known == null) {
            known = call("DescribeAvailabilityZones", () -> clients.ec2().describeAvailabilityZones(b -> b
                            .filters(Filter.builder().name("state").values("available").build())))
                    .availabilityZones().stream().map(AvailabilityZone::zoneName).sorted().toList();
            zones = known;
        }
        return known;
    }
}
