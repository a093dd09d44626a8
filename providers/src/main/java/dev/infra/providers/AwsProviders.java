package dev.infra.providers;

import dev.infra.core.provider.ProviderRegistry;
import dev.infra.providers.ec2.ElasticIpProvider;
import dev.infra.providers.ec2.InternetGatewayProvider;
import dev.infra.providers.ec2.NatGatewayProvider;
import dev.infra.providers.ec2.RouteTableProvider;
import dev.infra.providers.ec2.SecurityGroupProvider;
import dev.infra.providers.ec2.SecurityGroupRuleProvider;
import dev.infra.providers.ec2.SubnetProvider;
import dev.infra.providers.ec2.VpcProvider;
import java.util.List;

/** Every AWS resource type the tool manages. */
public final class AwsProviders {

    private AwsProviders() {}

    public static ProviderRegistry registry(AwsClients clients) {
        return ProviderRegistry.of(List.of(
                new VpcProvider(clients),
                new SubnetProvider(clients),
                new InternetGatewayProvider(clients),
                new ElasticIpProvider(clients),
                new NatGatewayProvider(clients),
                new RouteTableProvider(clients),
                new SecurityGroupProvider(clients),
                new SecurityGroupRuleProvider(clients),
                new dev.infra.providers.kms.KmsKeyProvider(clients), new dev.infra.providers.kms.KmsAliasProvider(clients),
                new dev.infra.providers.iam.IamRoleProvider(clients),
                new dev.infra.providers.iam.IamInstanceProfileProvider(clients),
                new dev.infra.providers.autoscaling.AutoScalingGroupProvider(clients),
                new dev.infra.providers.autoscaling.AutoScalingPolicyProvider(clients)));
    }
}
