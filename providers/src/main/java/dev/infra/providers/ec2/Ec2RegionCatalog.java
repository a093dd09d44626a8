package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.provider.RegionCatalog;
import dev.infra.providers.AwsClients;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Filter;

/** The region's availability zones, from DescribeAvailabilityZones (one call). */
public final class Ec2RegionCatalog implements RegionCatalog {

    private final AwsClients clients;

    public Ec2RegionCatalog(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public List<String> availabilityZones() {
        return call("DescribeAvailabilityZones", () -> clients.ec2().describeAvailabilityZones(b -> b
                        .filters(Filter.builder().name("state").values("available").build())))
                .availabilityZones().stream().map(AvailabilityZone::zoneName).sorted().toList();
    }
}
