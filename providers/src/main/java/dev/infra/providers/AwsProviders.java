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
import dev.infra.providers.helm.Helm;
import dev.infra.providers.helm.HelmReleaseProvider;
import java.util.List;

/** Every AWS resource type the tool manages. */
public final class AwsProviders {

    private AwsProviders() {}

    /** With the Helm on PATH, if any. */
    public static ProviderRegistry registry(AwsClients clients) {
        return registry(clients, Helm.locate(null));
    }

    /** {@code helm} runs the in-cluster releases (helm_release). */
    public static ProviderRegistry registry(AwsClients clients, Helm helm) {
        return ProviderRegistry.of(List.of(
                new VpcProvider(clients),
                new SubnetProvider(clients),
                new InternetGatewayProvider(clients),
                new ElasticIpProvider(clients),
                new NatGatewayProvider(clients),
                new RouteTableProvider(clients),
                new SecurityGroupProvider(clients),
                new SecurityGroupRuleProvider(clients),
                new dev.infra.providers.ec2.LaunchTemplateProvider(clients),
                new dev.infra.providers.ec2.InstanceProvider(clients),
                new dev.infra.providers.ec2.EbsVolumeProvider(clients),
                new dev.infra.providers.ec2.VolumeAttachmentProvider(clients),
                new dev.infra.providers.ec2.EbsEncryptionByDefaultProvider(clients),
                new dev.infra.providers.ec2.FlowLogProvider(clients),
                new dev.infra.providers.kms.KmsKeyProvider(clients), new dev.infra.providers.kms.KmsAliasProvider(clients),
                new dev.infra.providers.kms.ReplicaKeyProvider(clients),
                new dev.infra.providers.iam.IamRoleProvider(clients),
                new dev.infra.providers.iam.IamInstanceProfileProvider(clients),
                new dev.infra.providers.autoscaling.AutoScalingGroupProvider(clients),
                new dev.infra.providers.autoscaling.AutoScalingPolicyProvider(clients),
                new dev.infra.providers.autoscaling.AutoScalingAttachmentProvider(clients),
                new dev.infra.providers.elbv2.LoadBalancerProvider(clients),
                new dev.infra.providers.elbv2.TargetGroupProvider(clients),
                new dev.infra.providers.elbv2.ListenerProvider(clients),
                new dev.infra.providers.wafv2.WebAclProvider(clients),
                new dev.infra.providers.wafv2.WebAclAssociationProvider(clients),
                new dev.infra.providers.wafv2.LoggingConfigurationProvider(clients),
                new dev.infra.providers.s3.BucketProvider(clients),
                new dev.infra.providers.s3.BucketReplicationRuleProvider(clients),
                new dev.infra.providers.route53.HostedZoneProvider(clients),
                new dev.infra.providers.route53.ResourceRecordSetProvider(clients),
                new dev.infra.providers.route53.HealthCheckProvider(clients),
                new dev.infra.providers.acm.CertificateProvider(clients), new dev.infra.providers.acm.CertificateValidationProvider(clients),
                new dev.infra.providers.eks.ClusterProvider(clients),
                new dev.infra.providers.eks.NodegroupProvider(clients),
                new HelmReleaseProvider(clients, helm),
                new dev.infra.providers.dynamodb.TableProvider(clients), new dev.infra.providers.dynamodb.TableReplicaProvider(clients), new dev.infra.providers.elasticache.CacheSubnetGroupProvider(clients), new dev.infra.providers.elasticache.ReplicationGroupProvider(clients), new dev.infra.providers.elasticache.GlobalReplicationGroupProvider(clients), new dev.infra.providers.secretsmanager.SecretProvider(clients), new dev.infra.providers.secretsmanager.SecretReplicaProvider(clients),
                new dev.infra.providers.opensearch.OpenSearchDomainProvider(clients), new dev.infra.providers.athena.AthenaWorkGroupProvider(clients), new dev.infra.providers.glue.GlueDatabaseProvider(clients), new dev.infra.providers.glue.GlueTableProvider(clients),
                new dev.infra.providers.cloudtrail.TrailProvider(clients),
                new dev.infra.providers.cloudwatch.LogGroupProvider(clients),
                new dev.infra.providers.cloudwatch.LogResourcePolicyProvider(clients),
                new dev.infra.providers.cloudwatch.SubscriptionFilterProvider(clients),
                new dev.infra.providers.firehose.DeliveryStreamProvider(clients),
                new dev.infra.providers.cloudwatch.MetricAlarmProvider(clients),
                new dev.infra.providers.sns.TopicProvider(clients),
                new dev.infra.providers.guardduty.DetectorProvider(clients),
                new dev.infra.providers.guardduty.PublishingDestinationProvider(clients)));
    }
}
