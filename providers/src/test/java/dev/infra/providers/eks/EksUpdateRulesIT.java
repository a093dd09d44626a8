package dev.infra.providers.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.UpdateType;

/**
 * What EKS refuses of cluster updates, and the emulator with it (moto_launcher.py's patch_eks_update_cluster_version
 * and patch_eks_update_cluster_config), through raw SDK calls: a version update goes one minor version up, never
 * down nor to the same version; a configuration update is one type of update per call, and one that changes nothing
 * is refused.
 */
class EksUpdateRulesIT extends ProviderTestSupport {

    private List<String> subnets;

    @Override
    protected String region() {
        return "eu-central-2";
    }

    @BeforeAll
    void network() {
        Ec2Client ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.72.0.0/16")).vpc().vpcId();
        subnets = List.of("a", "b").stream().map(az -> ec2.createSubnet(b -> b.vpcId(vpc)
                .cidrBlock("10.72." + (az.equals("a") ? 0 : 1) + ".0/24").availabilityZone(region() + az))
                .subnet().subnetId()).toList();
    }

    private EksClient eks() {
        return clients.eks();
    }

    /** A cluster at {@code version} with a public endpoint only. */
    private String cluster(String version) {
        String name = stack + "-eks";
        eks().createCluster(b -> b.name(name).version(version).roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds(subnets).endpointPublicAccess(true).endpointPrivateAccess(false)));
        return name;
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(InvalidParameterException.class,
                e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message));
    }

    private String version(String cluster) {
        return eks().describeCluster(b -> b.name(cluster)).cluster().version();
    }

    @Test
    void aVersionUpdateGoesOneMinorVersionUp() {
        String name = cluster("1.29");
        for (String target : List.of("1.31", "1.28", "1.29", "2.0")) {
            assertRefused(() -> eks().updateClusterVersion(b -> b.name(name).version(target)),
                    "Unsupported Kubernetes minor version update from 1.29 to " + target);
        }
        assertThat(version(name)).isEqualTo("1.29");

        assertThat(eks().updateClusterVersion(b -> b.name(name).version("1.30")).update().type())
                .isEqualTo(UpdateType.VERSION_UPDATE);
        assertThat(eks().updateClusterVersion(b -> b.name(name).version("1.31")).update().type())
                .isEqualTo(UpdateType.VERSION_UPDATE);
        assertThat(version(name)).isEqualTo("1.31");
        assertRefused(() -> eks().updateClusterVersion(b -> b.name(name).version("1.30")),
                "Unsupported Kubernetes minor version update from 1.31 to 1.30");
    }

    @Test
    void aConfigurationUpdateIsOneTypeOfUpdate() {
        String name = cluster("1.30");
        assertRefused(() -> eks().updateClusterConfig(b -> b.name(name)
                        .resourcesVpcConfig(v -> v.endpointPrivateAccess(true))
                        .logging(l -> l.clusterLogging(c -> c.typesWithStrings("api").enabled(true)))),
                "Only one type of update can be allowed.");
        // Subnets (VpcConfigUpdate) and endpoint access (EndpointAccessUpdate) are two types too.
        assertRefused(() -> eks().updateClusterConfig(b -> b.name(name)
                        .resourcesVpcConfig(v -> v.subnetIds(subnets).endpointPrivateAccess(true))),
                "Only one type of update can be allowed.");
        assertRefused(() -> eks().updateClusterConfig(b -> b.name(name)
                        .resourcesVpcConfig(v -> v.endpointPrivateAccess(false).endpointPublicAccess(true))),
                "Cluster is already at the desired configuration with endpointPrivateAccess: false and "
                        + "endpointPublicAccess: true");

        assertThat(eks().updateClusterConfig(b -> b.name(name)
                .resourcesVpcConfig(v -> v.endpointPrivateAccess(true).endpointPublicAccess(true))).update().type())
                .isEqualTo(UpdateType.ENDPOINT_ACCESS_UPDATE);
        assertThat(eks().describeCluster(b -> b.name(name)).cluster().resourcesVpcConfig().endpointPrivateAccess())
                .isTrue();
        assertThat(eks().updateClusterConfig(b -> b.name(name)
                .logging(l -> l.clusterLogging(c -> c.typesWithStrings("api").enabled(true)))).update().type())
                .isEqualTo(UpdateType.LOGGING_UPDATE);
    }
}
