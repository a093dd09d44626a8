package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.provider.ResourceSchema;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The schemas match docs/resource-types.md: what updates in place, what AWS computes, what forces replacement. */
class SchemasTest {

    private static final AwsClients CLIENTS = AwsClients.create(AwsSettings.of("eu-west-1"));
    private static final ProviderRegistry REGISTRY = AwsProviders.registry(CLIENTS);

    @AfterAll
    static void close() {
        CLIENTS.close();
    }

    private static void assertSchema(String type, Set<String> updatable, Set<String> computed, String... forcing) {
        ResourceSchema schema = REGISTRY.get(type).schema();
        assertThat(schema.updatable()).as(type).isEqualTo(updatable);
        assertThat(schema.computed()).as(type).isEqualTo(computed);
        for (String attribute : forcing) {
            assertThat(schema.forcesReplacement(attribute)).as(type + "." + attribute).isTrue();
        }
    }

    @Test
    void network() {
        assertSchema("aws_vpc", Set.of("tags", "enableDnsSupport", "enableDnsHostnames"), Set.of("ownerId"),
                "cidrBlock");
        assertSchema("aws_subnet", Set.of("tags", "mapPublicIpOnLaunch"), Set.of("arn", "ownerId"),
                "vpcId", "cidrBlock", "availabilityZone");
        assertSchema("aws_internet_gateway", Set.of("tags"), Set.of("ownerId"), "vpcId");
        assertSchema("aws_eip", Set.of("tags"), Set.of("publicIp"), "domain");
        assertSchema("aws_nat_gateway", Set.of("tags"), Set.of("vpcId", "publicIp"),
                "subnetId", "allocationId", "connectivityType");
        assertSchema("aws_route_table", Set.of("tags", "routes", "subnetIds"), Set.of("ownerId"), "vpcId");
        assertThat(REGISTRY.get("aws_route_table").schema().unordered()).containsExactly("subnetIds");
        assertSchema("aws_security_group", Set.of("tags"), Set.of("arn", "ownerId"),
                "vpcId", "groupName", "description");
        assertSchema("aws_security_group_rule", Set.of("tags"), Set.of(), "securityGroupId", "direction", "protocol",
                "fromPort", "toPort", "cidrIpv4", "referencedGroupId", "description");
    }

    @Test
    void compute() {
        assertSchema("aws_launch_template", Set.of("tags", "imageId", "instanceType", "userData", "securityGroupIds",
                "iamInstanceProfileArn", "rootVolumeSize", "kmsKeyId"), Set.of("latestVersion"), "name");
        assertThat(REGISTRY.get("aws_launch_template").schema().unordered()).containsExactly("securityGroupIds");
        assertSchema("aws_instance", Set.of("tags"), Set.of("privateIp", "launchTemplateVersion"),
                "launchTemplateId", "subnetId", "instanceType");
        assertSchema("aws_ebs_volume", Set.of("tags", "size", "volumeType"), Set.of(),
                "availabilityZone", "encrypted", "kmsKeyId");
        assertSchema("aws_volume_attachment", Set.of(), Set.of(), "volumeId", "instanceId", "deviceName");
        assertSchema("aws_ebs_encryption_by_default", Set.of("enabled", "kmsKeyId"), Set.of());
    }

    @Test
    void loadBalancingFirewallAndBuckets() {
        assertSchema("aws_lb", Set.of("tags", "subnetIds", "securityGroupIds", "accessLogsBucket", "accessLogsPrefix"),
                Set.of("dnsName", "canonicalHostedZoneId", "arnSuffix"),
                "name", "scheme", "type");
        assertThat(REGISTRY.get("aws_lb").schema().unordered()).containsExactlyInAnyOrder("subnetIds", "securityGroupIds");
        assertSchema("aws_lb_target_group", Set.of("tags", "healthCheckPath"), Set.of(),
                "name", "port", "protocol", "vpcId", "targetType");
        assertSchema("aws_lb_listener", Set.of("tags", "protocol", "certificateArn", "defaultAction"), Set.of(),
                "loadBalancerArn", "port");
        assertSchema("aws_wafv2_web_acl", Set.of("tags", "managedRuleGroups", "rateLimit"), Set.of("arn"), "name", "scope");
        assertThat(REGISTRY.get("aws_wafv2_web_acl").schema().unordered()).isEmpty();
        assertSchema("aws_wafv2_web_acl_association", Set.of(), Set.of(), "webAclArn", "resourceArn");
        assertSchema("aws_wafv2_logging_configuration", Set.of("logDestination"), Set.of(), "webAclArn");
        assertSchema("aws_s3_bucket", Set.of("tags", "kmsKeyArn", "versioning", "blockPublicAccess", "lifecycleRules",
                "policy", "forceDestroy"), Set.of("arn"), "bucket");
        assertThat(REGISTRY.get("aws_s3_bucket").schema().unordered()).isEmpty();
    }

    @Test
    void dnsAndKubernetes() {
        assertSchema("aws_route53_zone", Set.of("tags", "comment"), Set.of("nameServers"), "name", "vpcId");
        assertSchema("aws_route53_record", Set.of("aliasDnsName", "aliasZoneId", "evaluateTargetHealth", "failover",
                "region", "healthCheckId", "values", "ttl"), Set.of(), "zoneId", "name", "type", "setIdentifier");
        assertThat(REGISTRY.get("aws_route53_record").schema().unordered()).containsExactly("values");
        assertSchema("aws_acm_certificate", Set.of("tags"), Set.of("arn", "status", "validationRecordName",
                "validationRecordType", "validationRecordValue"), "domainName", "subjectAlternativeNames", "validationMethod");
        assertThat(REGISTRY.get("aws_acm_certificate").schema().unordered()).containsExactly("subjectAlternativeNames");
        assertSchema("aws_acm_certificate_validation", Set.of(), Set.of(), "certificateArn");
        assertSchema("aws_route53_health_check", Set.of("tags", "fqdn", "port", "resourcePath", "failureThreshold"),
                Set.of(), "type", "requestInterval");
        assertSchema("aws_eks_cluster", Set.of("tags", "version", "endpointPrivateAccess", "endpointPublicAccess"),
                Set.of("endpoint", "arn", "certificateAuthority", "clusterSecurityGroupId"),
                "name", "roleArn", "subnetIds", "securityGroupIds", "secretsKmsKeyArn");
        assertThat(REGISTRY.get("aws_eks_cluster").schema().unordered())
                .containsExactlyInAnyOrder("subnetIds", "securityGroupIds");
        assertThat(REGISTRY.get("aws_eks_cluster").schema().writeOnly()).containsExactly("bootstrapSelfManagedAddons");
        assertSchema("aws_eks_node_group", Set.of("tags", "minSize", "maxSize", "desiredSize"), Set.of("autoScalingGroupName"),
                "clusterName", "name", "nodeRoleArn", "subnetIds", "instanceTypes", "amiType");
        assertThat(REGISTRY.get("aws_eks_node_group").schema().unordered()).containsExactly("subnetIds");
        assertSchema("aws_autoscaling_attachment", Set.of(), Set.of(), "autoScalingGroupName", "targetGroupArn");
    }

    @Test
    void auditAndMonitoring() {
        assertSchema("aws_cloudtrail_trail", Set.of("tags", "s3BucketName", "isMultiRegionTrail", "logFileValidation",
                "kmsKeyArn", "logging"), Set.of("arn"), "name");
        assertSchema("aws_cloudwatch_log_group", Set.of("tags", "retentionDays", "kmsKeyArn"), Set.of("arn"), "name");
        assertSchema("aws_sns_topic", Set.of("tags", "kmsKeyId"), Set.of(), "name");
        assertSchema("aws_cloudwatch_metric_alarm", Set.of("tags", "namespace", "metricName", "dimensions", "statistic",
                "period", "evaluationPeriods", "threshold", "comparisonOperator", "alarmActions", "treatMissingData"),
                Set.of("arn"), "name");
        assertThat(REGISTRY.get("aws_cloudwatch_metric_alarm").schema().unordered()).containsExactly("alarmActions");
        assertSchema("aws_guardduty_detector", Set.of("tags", "enable", "findingPublishingFrequency"), Set.of());
    }

    @Test
    void tablesCachesAndSecrets() {
        assertSchema("aws_dynamodb_table", Set.of("tags", "billingMode", "readCapacity", "writeCapacity",
                "globalSecondaryIndexes", "pointInTimeRecovery", "ttlAttribute", "kmsKeyArn", "deletionProtection"),
                Set.of("arn", "streamArn"), "name", "partitionKey", "sortKey");
        assertThat(REGISTRY.get("aws_dynamodb_table").schema().unordered()).isEmpty(); // indexes: sorted by name
        assertSchema("aws_elasticache_subnet_group", Set.of("tags", "description", "subnetIds"), Set.of(), "name");
        assertThat(REGISTRY.get("aws_elasticache_subnet_group").schema().unordered()).containsExactly("subnetIds");
        assertSchema("aws_elasticache_replication_group", Set.of("tags", "description", "engineVersion", "nodeType",
                        "numCacheClusters", "automaticFailover", "multiAz", "securityGroupIds"),
                Set.of("primaryEndpoint", "readerEndpoint", "port"),
                "replicationGroupId", "engine", "subnetGroupName", "atRestEncryption", "kmsKeyId", "transitEncryption");
        assertThat(REGISTRY.get("aws_elasticache_replication_group").schema().unordered()).containsExactly("securityGroupIds");
        assertThat(REGISTRY.get("aws_elasticache_replication_group").schema().writeOnly())
                .containsExactly("authTokenSecretArn");
        assertSchema("aws_secretsmanager_secret", Set.of("tags", "description", "kmsKeyId"), Set.of("arn"), "name");
        assertThat(REGISTRY.get("aws_secretsmanager_secret").schema().writeOnly()).containsExactly("generatedLength");
    }

    @Test
    void multiRegionLinks() {
        assertSchema("aws_iam_role", Set.of("tags", "assumeRolePolicy", "managedPolicyArns", "inlinePolicy"),
                Set.of("arn"), "name");
        assertSchema("aws_s3_bucket_replication_rule", Set.of("destinationBucketArn", "roleArn",
                "deleteMarkerReplication", "replicaKmsKeyArn"), Set.of("priority"), "bucket", "sourceRegion", "ruleId");
        assertSchema("aws_kms_replica_key", Set.of("tags", "description", "servicePrincipals", "serviceLinkedRoles"), Set.of("arn"),
                "primaryKeyArn");
        assertThat(REGISTRY.get("aws_kms_replica_key").schema().unordered())
                .containsExactlyInAnyOrder("servicePrincipals", "serviceLinkedRoles");
        assertThat(REGISTRY.get("aws_kms_replica_key").schema().writeOnly()).containsExactly("deletionWindowDays");
    }
}
