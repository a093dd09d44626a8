package dev.infra.providers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;

/**
 * The names and descriptions AWS refuses at create, and the emulator with them (moto_launcher.py's
 * patch_elbv2_load_balancer_name, patch_opensearch_domain_name_length, patch_elasticache_replication_group_id,
 * patch_iam_role_and_instance_profile_names, patch_ec2_security_group_name_and_description,
 * patch_ec2_security_group_rule_descriptions, patch_cloudtrail_trail_name), through raw SDK calls: each refusal with
 * AWS's error code, and the longest or oddest name AWS still accepts.
 */
class NameRulesIT extends ProviderTestSupport {

    private String vpc;
    private List<String> subnets;

    @Override
    protected String region() {
        return "ap-east-1";
    }

    @BeforeAll
    void network() {
        Ec2Client ec2 = clients.ec2();
        vpc = ec2.createVpc(b -> b.cidrBlock("10.71.0.0/16")).vpc().vpcId();
        subnets = List.of("a", "b").stream().map(az -> ec2.createSubnet(b -> b.vpcId(vpc)
                .cidrBlock("10.71." + (az.equals("a") ? 0 : 1) + ".0/24").availabilityZone(region() + az))
                .subnet().subnetId()).toList();
    }

    /** A name of {@code length} characters starting with this test's stack (unique across tests). */
    private String name(int length) {
        return (stack + "x".repeat(length)).substring(0, length);
    }

    @Test
    void loadBalancerNames() {
        ElasticLoadBalancingV2Client elb = clients.elbv2();
        for (String bad : List.of(name(33), "internal-" + stack, stack + "_lb", "-" + stack, stack + "-")) {
            assertRefused(() -> elb.createLoadBalancer(b -> b.name(bad).scheme("internal").subnets(subnets)), "ValidationError", bad);
        }
        String longest = name(32);
        assertThatCode(() -> elb.createLoadBalancer(b -> b.name(longest).scheme("internal").subnets(subnets))).doesNotThrowAnyException();
        // Target groups: moto's own check, AWS's rules.
        assertRefused(() -> elb.createTargetGroup(b -> b.name(name(33)).protocol("HTTP").port(80).vpcId(vpc)),
                "ValidationError", "cannot be longer than '32' characters");
        assertThatCode(() -> elb.createTargetGroup(b -> b.name(name(32)).protocol("HTTP").port(80).vpcId(vpc)))
                .doesNotThrowAnyException();
    }

    @Test
    void openSearchDomainNames() {
        OpenSearchClient opensearch = clients.client(OpenSearchClient.class, OpenSearchClient::builder);
        assertRefused(() -> opensearch.createDomain(b -> b.domainName(name(29))), "ValidationException",
                "length between 3 and 28");
        assertRefused(() -> opensearch.createDomain(b -> b.domainName("ab")), "ValidationException",
                "length between 3 and 28");
        String longest = name(28);
        assertThatCode(() -> opensearch.createDomain(b -> b.domainName(longest))).doesNotThrowAnyException();
        opensearch.deleteDomain(b -> b.domainName(longest));
    }

    @Test
    void replicationGroupIds() {
        ElastiCacheClient elasticache = clients.client(ElastiCacheClient.class, ElastiCacheClient::builder);
        for (String bad : List.of(name(41), stack + "--cache", stack + "-", "1" + stack)) {
            assertRefused(() -> elasticache.createReplicationGroup(b -> b.replicationGroupId(bad)
                    .replicationGroupDescription("x").engine("redis").cacheNodeType("cache.t4g.small")
                    .numCacheClusters(1)), "InvalidParameterValue", "Invalid replication group id");
        }
        String longest = name(40);
        assertThatCode(() -> elasticache.createReplicationGroup(b -> b.replicationGroupId(longest)
                .replicationGroupDescription("x").engine("redis").cacheNodeType("cache.t4g.small").numCacheClusters(1)))
                .doesNotThrowAnyException();
        elasticache.deleteReplicationGroup(b -> b.replicationGroupId(longest));
    }

    @Test
    void roleAndInstanceProfileNames() {
        IamClient iam = clients.client(IamClient.class, IamClient::builder);
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        assertRefused(() -> iam.createRole(b -> b.roleName(name(65)).assumeRolePolicyDocument(trust)), "ValidationError",
                "length less than or equal to 64");
        assertRefused(() -> iam.createRole(b -> b.roleName(stack + " role").assumeRolePolicyDocument(trust)),
                "ValidationError", "regular expression pattern");
        assertRefused(() -> iam.createInstanceProfile(b -> b.instanceProfileName(name(129))), "ValidationError",
                "length less than or equal to 128");
        String role = name(64);
        String profile = name(128);
        assertThatCode(() -> iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(trust)))
                .doesNotThrowAnyException();
        assertThatCode(() -> iam.createInstanceProfile(b -> b.instanceProfileName(profile))).doesNotThrowAnyException();
        iam.deleteInstanceProfile(b -> b.instanceProfileName(profile));
        iam.deleteRole(b -> b.roleName(role));
    }

    @Test
    void securityGroupNamesAndDescriptions() {
        Ec2Client ec2 = clients.ec2();
        assertRefused(() -> ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName(stack).description("Teleport's ports")),
                "InvalidParameterValue", "Invalid security group description");
        assertRefused(() -> ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName(stack).description("x".repeat(256))),
                "InvalidParameterValue", "Invalid security group description");
        assertRefused(() -> ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName(stack + " é").description("x")),
                "InvalidParameterValue", "Invalid security group name");
        assertRefused(() -> ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("sg-" + stack).description("x")),
                "InvalidParameterValue", "sg-*");
        String every = "Az09. _-:/()#,@[]+=&;{}!$*";
        assertThatCode(() -> ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName(stack + every).description(every)))
                .doesNotThrowAnyException();
    }

    @Test
    void securityGroupRuleDescriptions() {
        Ec2Client ec2 = clients.ec2();
        String group = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName(stack).description("rules")).groupId();
        IpPermission refused = IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                .ipRanges(r -> r.cidrIp("10.0.0.0/8").description("the proxies' port")).build();
        assertRefused(() -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(refused)),
                "InvalidParameterValue", "Invalid rule description");
        assertRefused(() -> ec2.authorizeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(refused)),
                "InvalidParameterValue", "Invalid rule description");
        IpPermission fromGroup = IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                .userIdGroupPairs(p -> p.groupId(group).description("from \"itself\"")).build();
        assertRefused(() -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(fromGroup)),
                "InvalidParameterValue", "Invalid rule description");
        IpPermission accepted = IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                .ipRanges(r -> r.cidrIp("10.0.0.0/8").description("HTTPS: from the VPC (10.0.0.0/8)")).build();
        assertThatCode(() -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(accepted)))
                .doesNotThrowAnyException();
        IpPermission renamed = accepted.toBuilder().ipRanges(r -> r.cidrIp("10.0.0.0/8").description("VPC's")).build();
        assertRefused(() -> ec2.updateSecurityGroupRuleDescriptionsIngress(b -> b.groupId(group).ipPermissions(renamed)),
                "InvalidParameterValue", "Invalid rule description");
    }

    @Test
    void trailNames() {
        CloudTrailClient cloudtrail = clients.client(CloudTrailClient.class, CloudTrailClient::builder);
        String bucket = stack + "-trail";
        clients.in(region()).s3().createBucket(b -> b.bucket(bucket)
                .createBucketConfiguration(c -> c.locationConstraint(region())));
        for (String bad : List.of(stack + "--trail", stack + "._trail", "192.168.5.4", "ab")) {
            assertRefused(() -> cloudtrail.createTrail(b -> b.name(bad).s3BucketName(bucket)),
                    "InvalidTrailNameException", "");
        }
        String accepted = stack + "-trail.v1_a";
        assertThatCode(() -> cloudtrail.createTrail(b -> b.name(accepted).s3BucketName(bucket)))
                .doesNotThrowAnyException();
        cloudtrail.deleteTrail(b -> b.name(accepted));
    }
}
