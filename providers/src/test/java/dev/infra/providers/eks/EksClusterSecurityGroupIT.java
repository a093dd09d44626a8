package dev.infra.providers.eks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * EKS makes a cluster security group and reports it (VpcConfigResponse.clusterSecurityGroupId);
 * caches let the cluster's nodes in through it. Covers the launcher's patch_eks_cluster_security_group.
 */
class EksClusterSecurityGroupIT {

    @Test
    void clusterGetsItsSecurityGroupInItsVpcAndLosesItWithTheCluster() throws InterruptedException {
        try (AwsClients aws = Emulator.clients("eu-south-2")) {
            Ec2Client ec2 = aws.ec2();
            EksClient eks = aws.eks();
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.7.0.0/16")).vpc().vpcId();
            String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.7.1.0/24").availabilityZone("eu-south-2a")).subnet().subnetId();

            String group = eks.createCluster(b -> b.name("sg-it").roleArn("arn:aws:iam::123456789012:role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds(subnet))).cluster().resourcesVpcConfig().clusterSecurityGroupId();

            assertThat(group).startsWith("sg-");
            assertThat(eks.describeCluster(b -> b.name("sg-it")).cluster().resourcesVpcConfig().clusterSecurityGroupId()).isEqualTo(group);
            assertThat(ec2.describeSecurityGroups(b -> b.groupIds(group)).securityGroups())
                    .singleElement().satisfies(g -> assertThat(g.vpcId()).isEqualTo(vpc));

            eks.deleteCluster(b -> b.name("sg-it"));
            // It goes once the control plane's network interfaces, which it holds, are released (patch_eks_network_interfaces).
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (ec2.describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(vpc))).securityGroups()
                    .stream().anyMatch(g -> g.groupId().equals(group))) {
                assertThat(System.nanoTime()).as("the cluster security group goes within 30 s").isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }
}
