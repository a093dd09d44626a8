package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.topology.AwsNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** Core keeps its own list of regions (it has no AWS dependency); the SDK's, updated with every release, checks it. */
class RegionListTest {

    private static final List<String> PARTITIONS = List.of("aws", "aws-cn", "aws-us-gov");

    @Test
    void coreKnowsEveryRegionOfTheSdksPartitions() {
        List<String> sdk = Region.regions().stream()
                .filter(r -> !r.isGlobalRegion() && r.metadata() != null)
                .filter(r -> PARTITIONS.contains(r.metadata().partition().id()))
                .map(Region::id)
                .toList();
        assertThat(sdk).as("the SDK's regions").hasSizeGreaterThan(30);
        assertThat(AwsNames.REGIONS).as("AwsNames.REGIONS, after an SDK upgrade").containsAll(sdk);
        assertThat(sdk).as("regions core lists that the SDK does not").containsAll(AwsNames.REGIONS);
    }
}
