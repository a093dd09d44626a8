package dev.infra.providers;

import dev.infra.core.catalogue.Catalogue;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.providers.acm.CertificateProvider;
import dev.infra.providers.acm.CertificateValidationProvider;
import dev.infra.providers.athena.AthenaWorkGroupProvider;
import dev.infra.providers.autoscaling.AutoScalingAttachmentProvider;
import dev.infra.providers.autoscaling.AutoScalingGroupProvider;
import dev.infra.providers.autoscaling.AutoScalingPolicyProvider;
import dev.infra.providers.cloudtrail.TrailProvider;
import dev.infra.providers.cloudwatch.LogGroupProvider;
import dev.infra.providers.cloudwatch.LogResourcePolicyProvider;
import dev.infra.providers.cloudwatch.MetricAlarmProvider;
import dev.infra.providers.cloudwatch.SubscriptionFilterProvider;
import dev.infra.providers.dynamodb.TableProvider;
import dev.infra.providers.dynamodb.TableReplicaProvider;
import dev.infra.providers.secretsmanager.SecretReplicaProvider;
import dev.infra.providers.ec2.EbsEncryptionByDefaultProvider;
import dev.infra.providers.ec2.EbsVolumeProvider;
import dev.infra.providers.ec2.ElasticIpProvider;
import dev.infra.providers.ec2.FlowLogProvider;
import dev.infra.providers.ec2.InstanceProvider;
import dev.infra.providers.ec2.InternetGatewayProvider;
import dev.infra.providers.ec2.LaunchTemplateProvider;
import dev.infra.providers.ec2.NatGatewayProvider;
import dev.infra.providers.ec2.RouteTableProvider;
import dev.infra.providers.ec2.SecurityGroupProvider;
import dev.infra.providers.ec2.SecurityGroupRuleProvider;
import dev.infra.providers.ec2.SubnetProvider;
import dev.infra.providers.ec2.VolumeAttachmentProvider;
import dev.infra.providers.ec2.VpcProvider;
import dev.infra.providers.eks.ClusterProvider;
import dev.infra.providers.eks.NodegroupProvider;
import dev.infra.providers.elasticache.CacheSubnetGroupProvider;
import dev.infra.providers.elasticache.GlobalReplicationGroupProvider;
import dev.infra.providers.elasticache.ReplicationGroupProvider;
import dev.infra.providers.elbv2.ListenerProvider;
import dev.infra.providers.elbv2.LoadBalancerProvider;
import dev.infra.providers.elbv2.TargetGroupProvider;
import dev.infra.providers.firehose.DeliveryStreamProvider;
import dev.infra.providers.glue.GlueDatabaseProvider;
import dev.infra.providers.glue.GlueTableProvider;
import dev.infra.providers.guardduty.DetectorProvider;
import dev.infra.providers.guardduty.PublishingDestinationProvider;
import dev.infra.providers.helm.HelmReleaseProvider;
import dev.infra.providers.iam.IamInstanceProfileProvider;
import dev.infra.providers.iam.IamRoleProvider;
import dev.infra.providers.kms.KmsAliasProvider;
import dev.infra.providers.kms.KmsKeyProvider;
import dev.infra.providers.kms.ReplicaKeyProvider;
import dev.infra.providers.opensearch.OpenSearchDomainProvider;
import dev.infra.providers.route53.HealthCheckProvider;
import dev.infra.providers.route53.HostedZoneProvider;
import dev.infra.providers.route53.ResourceRecordSetProvider;
import dev.infra.providers.s3.BucketProvider;
import dev.infra.providers.s3.BucketReplicationRuleProvider;
import dev.infra.providers.secretsmanager.SecretProvider;
import dev.infra.providers.sns.TopicProvider;
import dev.infra.providers.wafv2.LoggingConfigurationProvider;
import dev.infra.providers.wafv2.WebAclAssociationProvider;
import dev.infra.providers.wafv2.WebAclProvider;
import java.util.List;

/**
 * The catalogue of every type {@link AwsProviders#registry} manages, from the providers' static entries: {@code validate}
 * and {@code graph} check the expansion against it without AWS clients or credentials.
 */
public final class AwsCatalogue {

    /** A part of the resource-types page. */
    public record Section(String title, String intro, List<ResourceType> types) {}

    public static final List<Section> SECTIONS = List.of(
            new Section("Network (EC2) — `dev.infra.providers.ec2`", "", List.of(VpcProvider.ENTRY,
                    SubnetProvider.ENTRY, InternetGatewayProvider.ENTRY, ElasticIpProvider.ENTRY,
                    NatGatewayProvider.ENTRY, RouteTableProvider.ENTRY, SecurityGroupProvider.ENTRY,
                    SecurityGroupRuleProvider.ENTRY, FlowLogProvider.ENTRY)),
            new Section("Keys, compute, load balancing, DNS, Kubernetes", "", List.of(KmsKeyProvider.ENTRY,
                    KmsAliasProvider.ENTRY, EbsEncryptionByDefaultProvider.ENTRY, LaunchTemplateProvider.ENTRY,
                    InstanceProvider.ENTRY, EbsVolumeProvider.ENTRY, VolumeAttachmentProvider.ENTRY,
                    AutoScalingGroupProvider.ENTRY, AutoScalingAttachmentProvider.ENTRY,
                    AutoScalingPolicyProvider.ENTRY, IamRoleProvider.ENTRY, IamInstanceProfileProvider.ENTRY,
                    LoadBalancerProvider.ENTRY, TargetGroupProvider.ENTRY, ListenerProvider.ENTRY,
                    WebAclProvider.ENTRY, WebAclAssociationProvider.ENTRY, LoggingConfigurationProvider.ENTRY,
                    BucketProvider.ENTRY, HostedZoneProvider.ENTRY, ResourceRecordSetProvider.ENTRY,
                    CertificateProvider.ENTRY, CertificateValidationProvider.ENTRY, ClusterProvider.ENTRY,
                    NodegroupProvider.ENTRY, HelmReleaseProvider.ENTRY)),
            new Section("Data, storage, observability", "", List.of(TableProvider.ENTRY,
                    CacheSubnetGroupProvider.ENTRY, ReplicationGroupProvider.ENTRY, SecretProvider.ENTRY,
                    TrailProvider.ENTRY, LogGroupProvider.ENTRY, TopicProvider.ENTRY, MetricAlarmProvider.ENTRY,
                    DetectorProvider.ENTRY, OpenSearchDomainProvider.ENTRY, AthenaWorkGroupProvider.ENTRY,
                    GlueDatabaseProvider.ENTRY, GlueTableProvider.ENTRY, LogResourcePolicyProvider.ENTRY,
                    SubscriptionFilterProvider.ENTRY, DeliveryStreamProvider.ENTRY,
                    PublishingDestinationProvider.ENTRY)),
            new Section("Multi-region links", "Types registered in the replica region R's registry (their clients are"
                    + " R's) that act on a resource of the source region P through `AwsClients.in(P)`; the id encodes"
                    + " what a read needs.", List.of(TableReplicaProvider.ENTRY, HealthCheckProvider.ENTRY,
                    BucketReplicationRuleProvider.ENTRY, ReplicaKeyProvider.ENTRY, SecretReplicaProvider.ENTRY,
                    GlobalReplicationGroupProvider.ENTRY)));

    private static final Catalogue CATALOGUE = Catalogue.of(SECTIONS.stream().flatMap(s -> s.types().stream()).toList());

    private AwsCatalogue() {}

    public static Catalogue catalogue() {
        return CATALOGUE;
    }
}
