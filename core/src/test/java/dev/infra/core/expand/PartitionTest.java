package dev.infra.core.expand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ARNs and service principals follow the region's partition: the seed expanded in China and in GovCloud. */
class PartitionTest {

    private static final Pattern GLOBAL_SUFFIX = Pattern.compile("amazonaws\\.com(?!\\.cn)");

    @Test
    void regionsMapToTheirPartitions() {
        assertThat(Partition.of("us-east-1")).isEqualTo(Partition.AWS);
        assertThat(Partition.of("cn-northwest-1").name()).isEqualTo("aws-cn");
        assertThat(Partition.of("cn-north-1").servicePrincipal("ec2")).isEqualTo("ec2.amazonaws.com.cn");
        assertThat(Partition.of("us-gov-west-1").arn("s3", "", "", "b")).isEqualTo("arn:aws-us-gov:s3:::b");
    }

    @Test
    void theSeedInChinaNamesOnlyAwsCn() {
        for (String text : strings(placements("cn-north-1", "cn-northwest-1"))) {
            assertThat(text).doesNotContain("arn:aws:").doesNotContain("arn:aws-us-gov:");
            assertThat(GLOBAL_SUFFIX.matcher(text).find()).as(text).isFalse();
        }
        List<String> all = strings(placements("cn-north-1", "cn-northwest-1"));
        assertThat(all).anyMatch(s -> s.contains("arn:aws-cn:iam::aws:policy/AmazonEKSClusterPolicy"))
                .anyMatch(s -> s.contains("\"cloudtrail.amazonaws.com.cn\""))
                .anyMatch(s -> s.contains("arn:aws-cn:iam::638102146993:root"))
                .contains("logs.cn-north-1.amazonaws.com.cn");
    }

    @Test
    void theSeedInGovCloudNamesOnlyAwsUsGov() {
        List<String> all = strings(placements("us-gov-west-1", "us-gov-east-1"));
        for (String text : all) {
            assertThat(text).doesNotContain("arn:aws:").doesNotContain("arn:aws-cn:").doesNotContain("amazonaws.com.cn");
        }
        assertThat(all).anyMatch(s -> s.contains("arn:aws-us-gov:s3:::shop-static-us-gov-east-1/*"))
                .anyMatch(s -> s.contains("arn:aws-us-gov:iam::048591011584:root"))
                .contains("autoscaling.amazonaws.com");
    }

    /** The seed copied to {@code primary}, as a primary with a replica in {@code replica}, and as that replica. */
    private static List<List<ResourceSpec>> placements(String primary, String replica) {
        Topology copy = ReplicationTest.SEED.inRegion(primary);
        return List.of(Expander.expand(copy), Expander.expand(copy.withReplicas(List.of(replica))),
                Expander.expand(copy.asReplica(replica, "10.1.0.0/16", List.of("a", "b", "c"), List.of(replica))));
    }

    /**
     * Every string value of every spec, policies (JSON text) included; not user data, whose proxy allow-list is the
     * topology's own ({@code .amazonaws.com} in the seed).
     */
    private static List<String> strings(List<List<ResourceSpec>> expansions) {
        List<String> out = new ArrayList<>();
        expansions.forEach(specs -> specs.forEach(s -> s.attributes().forEach((name, value) -> {
            if (!name.equals("userData")) {
                collect(value, out);
            }
        })));
        return out;
    }

    private static void collect(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, out));
        }
    }
}
