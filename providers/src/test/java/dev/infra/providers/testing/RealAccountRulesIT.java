package dev.infra.providers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;

/**
 * What a fresh AWS account refuses that moto accepts, and the emulator with it (moto_launcher.py's
 * patch_opensearch_vpc_service_linked_role, patch_kms_policy_principals_exist,
 * patch_elbv2_internet_facing_needs_internet_gateway, patch_elbv2_network_interfaces,
 * patch_secretsmanager_deleted_names, patch_eks_network_interfaces), through raw SDK calls: each
 * refusal with AWS's error code and message, and the call accepted once what AWS asks for is there.
 */
class RealAccountRulesIT extends ProviderTestSupport {

    private static final String OPENSEARCH_ROLES = "/aws-service-role/opensearchservice.amazonaws.com/";

    private Ec2Client ec2;
    private String vpc;
    private List<String> subnets;

    @Override
    protected String region() {
        return "ca-west-1";
    }

    @BeforeAll
    void network() {
        ec2 = clients.ec2();
        vpc = ec2.createVpc(b -> b.cidrBlock("10.72.0.0/16")).vpc().vpcId();
        subnets = List.of("a", "b").stream().map(az -> ec2.createSubnet(b -> b.vpcId(vpc)
                .cidrBlock("10.72." + (az.equals("a") ? 0 : 1) + ".0/24").availabilityZone(region() + az))
                .subnet().subnetId()).toList();
    }

    @Test
    void openSearchInAVpcNeedsTheServiceLinkedRole() {
        IamClient iam = clients.client(IamClient.class, IamClient::builder);
        // A fresh account: no role (another test of this JVM may have made it; it is the account's, made again below).
        iam.listRolesPaginator(b -> b.pathPrefix(OPENSEARCH_ROLES)).roles().stream().map(Role::roleName)
                .forEach(name -> iam.deleteServiceLinkedRole(b -> b.roleName(name)));
        OpenSearchClient os = clients.client(OpenSearchClient.class, OpenSearchClient::builder);
        String group = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName(stack + "-os").description("os")).groupId();

        assertRefused(() -> os.createDomain(b -> b.domainName(stack).vpcOptions(v -> v.subnetIds(subnets.get(0))
                .securityGroupIds(group))), "ValidationException", "you must enable a service-linked role");
        // Outside a VPC no role is needed.
        assertThatCode(() -> os.createDomain(b -> b.domainName(stack + "-public"))).doesNotThrowAnyException();

        iam.createServiceLinkedRole(b -> b.awsServiceName("opensearchservice.amazonaws.com"));
        assertThat(os.createDomain(b -> b.domainName(stack + "-vpc").vpcOptions(v -> v.subnetIds(subnets.get(0))
                .securityGroupIds(group))).domainStatus().vpcOptions().subnetIds()).containsExactly(subnets.get(0));
    }

    @Test
    void keyPoliciesMayNameOnlyPrincipalsThatExist() {
        KmsClient kms = clients.client(KmsClient.class, KmsClient::builder);
        IamClient iam = clients.client(IamClient.class, IamClient::builder);
        String account = clients.globalArn("iam", "root").split(":")[4];
        String role = "arn:aws:iam::" + account + ":role/infra/" + stack + "/" + stack + "-user";
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"arn:aws:iam::" + account + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"Use\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"" + role + "\"]},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";

        assertRefused(() -> kms.createKey(b -> b.policy(policy)), "MalformedPolicyDocumentException",
                "one or more invalid principals");
        String key = kms.createKey(b -> b.description(stack)).keyMetadata().keyId();
        assertRefused(() -> kms.putKeyPolicy(b -> b.keyId(key).policyName("default").policy(policy)),
                "MalformedPolicyDocumentException", "one or more invalid principals");

        // The same ARN without its path names no role either.
        iam.createRole(b -> b.roleName(stack + "-user").path("/infra/" + stack + "/").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                        + "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        assertRefused(() -> kms.putKeyPolicy(b -> b.keyId(key).policyName("default")
                .policy(policy.replace("role/infra/" + stack + "/", "role/"))), "MalformedPolicyDocumentException",
                "one or more invalid principals");
        assertThatCode(() -> kms.putKeyPolicy(b -> b.keyId(key).policyName("default").policy(policy)))
                .doesNotThrowAnyException();
        assertThat(kms.getKeyPolicy(b -> b.keyId(key).policyName("default")).policy()).contains(role);
        assertThatCode(() -> kms.createKey(b -> b.policy(policy))).doesNotThrowAnyException();
    }

    @Test
    void aPrimaryKeyHasOneReplicaPerRegionEvenOnePendingDeletion() {
        KmsClient kms = clients.client(KmsClient.class, KmsClient::builder);
        String primary = kms.createKey(b -> b.multiRegion(true).description(stack)).keyMetadata().arn();
        String other = "ca-central-1";
        String replica = kms.replicateKey(b -> b.keyId(primary).replicaRegion(other)).replicaKeyMetadata().keyId();

        assertRefused(() -> kms.replicateKey(b -> b.keyId(primary).replicaRegion(other)), "AlreadyExistsException",
                "You can create only one replica of each primary key in each AWS Region.");
        KmsClient there = clients.in(other).client(KmsClient.class, KmsClient::builder);
        there.scheduleKeyDeletion(b -> b.keyId(replica).pendingWindowInDays(7));
        assertRefused(() -> kms.replicateKey(b -> b.keyId(primary).replicaRegion(other)), "AlreadyExistsException",
                "only one replica");
        // What infra does instead: take the one pending deletion back.
        there.cancelKeyDeletion(b -> b.keyId(replica));
        there.enableKey(b -> b.keyId(replica));
        assertThat(there.describeKey(b -> b.keyId(replica)).keyMetadata().keyStateAsString()).isEqualTo("Enabled");
    }

    @Test
    void aMultiRegionTrailsNameIsTakenInEveryRegion() {
        String bucket = stack + "-trail-logs";
        clients.s3().createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(region())));
        CloudTrailClient here = clients.client(CloudTrailClient.class, CloudTrailClient::builder);
        CloudTrailClient there = clients.in("ca-central-1").client(CloudTrailClient.class, CloudTrailClient::builder);
        String name = stack + "-trail";
        here.createTrail(b -> b.name(name).s3BucketName(bucket).isMultiRegionTrail(true));

        assertRefused(() -> here.createTrail(b -> b.name(name).s3BucketName(bucket)), "TrailAlreadyExistsException",
                "Trail " + name + " already exists");
        assertRefused(() -> there.createTrail(b -> b.name(name).s3BucketName(bucket).isMultiRegionTrail(true)),
                "TrailAlreadyExistsException", "already exists");
        assertRefused(() -> there.createTrail(b -> b.name(name).s3BucketName(bucket)), "TrailAlreadyExistsException",
                "already exists");
        // A copy's trail has a name of its own (MonitoringExpander.trailName).
        assertThatCode(() -> there.createTrail(b -> b.name(name + "-ca-central-1").s3BucketName(bucket)
                .isMultiRegionTrail(true))).doesNotThrowAnyException();
        here.deleteTrail(b -> b.name(name));
        there.deleteTrail(b -> b.name(name + "-ca-central-1"));
    }

    @Test
    void anInternetFacingLoadBalancerNeedsTheVpcsInternetGateway() {
        ElasticLoadBalancingV2Client elb = clients.elbv2();
        String bare = ec2.createVpc(b -> b.cidrBlock("10.73.0.0/16")).vpc().vpcId();
        List<String> bareSubnets = List.of("a", "b").stream().map(az -> ec2.createSubnet(b -> b.vpcId(bare)
                .cidrBlock("10.73." + (az.equals("a") ? 0 : 1) + ".0/24").availabilityZone(region() + az))
                .subnet().subnetId()).toList();

        assertRefused(() -> elb.createLoadBalancer(b -> b.name(stack + "-public").subnets(bareSubnets)),
                "InvalidSubnet", "VPC " + bare + " has no internet gateway");
        assertRefused(() -> elb.createLoadBalancer(b -> b.name(stack + "-public").scheme(LoadBalancerSchemeEnum.INTERNET_FACING)
                .subnets(bareSubnets)), "InvalidSubnet", "has no internet gateway");
        assertThatCode(() -> elb.createLoadBalancer(b -> b.name(stack + "-internal").scheme(LoadBalancerSchemeEnum.INTERNAL)
                .subnets(bareSubnets))).doesNotThrowAnyException();

        // A gateway that is not attached does not count.
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        assertRefused(() -> elb.createLoadBalancer(b -> b.name(stack + "-public").subnets(bareSubnets)),
                "InvalidSubnet", "has no internet gateway");
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(bare));
        assertThat(elb.createLoadBalancer(b -> b.name(stack + "-public").subnets(bareSubnets)).loadBalancers())
                .extracting(l -> l.loadBalancerName()).containsExactly(stack + "-public");
    }

    @Test
    void aLoadBalancersNetworkInterfacesOutliveItAndHoldItsSubnetsAndGroups() throws InterruptedException {
        ElasticLoadBalancingV2Client elb = clients.elbv2();
        String own = ec2.createVpc(b -> b.cidrBlock("10.74.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(own));
        List<String> ownSubnets = List.of("a", "b").stream().map(az -> ec2.createSubnet(b -> b.vpcId(own)
                .cidrBlock("10.74." + (az.equals("a") ? 0 : 1) + ".0/24").availabilityZone(region() + az))
                .subnet().subnetId()).toList();
        String group = ec2.createSecurityGroup(b -> b.vpcId(own).groupName(stack + "-lb").description("lb")).groupId();
        var lb = elb.createLoadBalancer(b -> b.name(stack + "-enis").subnets(ownSubnets).securityGroups(group))
                .loadBalancers().get(0);
        String suffix = lb.loadBalancerArn().substring(lb.loadBalancerArn().indexOf(":loadbalancer/") + 14);
        Filter described = Filter.builder().name("description").values("ELB " + suffix).build();

        var enis = ec2.describeNetworkInterfaces(b -> b.filters(described)).networkInterfaces();
        assertThat(enis).extracting(n -> n.subnetId()).containsExactlyInAnyOrderElementsOf(ownSubnets);
        assertThat(enis).allSatisfy(n -> assertThat(n.groups()).extracting(g -> g.groupId()).containsExactly(group));

        elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn()));
        assertHeldThenReleased(described, ownSubnets.get(0), group);
    }

    @Test
    void anEksClustersNetworkInterfacesOutliveItAndHoldItsSubnetsAndGroups() throws InterruptedException {
        EksClient eks = clients.eks();
        String own = ec2.createVpc(b -> b.cidrBlock("10.75.0.0/16")).vpc().vpcId();
        List<String> ownSubnets = List.of("a", "b").stream().map(az -> ec2.createSubnet(b -> b.vpcId(own)
                .cidrBlock("10.75." + (az.equals("a") ? 0 : 1) + ".0/24").availabilityZone(region() + az))
                .subnet().subnetId()).toList();
        String group = ec2.createSecurityGroup(b -> b.vpcId(own).groupName(stack + "-eks").description("eks")).groupId();
        String name = stack + "-eks";
        eks.createCluster(b -> b.name(name).roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds(ownSubnets).securityGroupIds(group)));
        Filter described = Filter.builder().name("description").values("Amazon EKS " + name).build();

        var enis = ec2.describeNetworkInterfaces(b -> b.filters(described)).networkInterfaces();
        assertThat(enis).extracting(n -> n.subnetId()).containsExactlyInAnyOrderElementsOf(ownSubnets);
        assertThat(enis).allSatisfy(n -> assertThat(n.groups()).extracting(g -> g.groupId()).contains(group));

        eks.deleteCluster(b -> b.name(name));
        assertHeldThenReleased(described, ownSubnets.get(0), group);
        // The cluster security group EKS made went with them.
        assertThat(ec2.describeSecurityGroups(b -> b.filters(Filter.builder().name("vpc-id").values(own).build()))
                .securityGroups()).extracting(g -> g.groupName()).containsExactly("default");
    }

    @Test
    void aSecretsNameStaysTakenWhileItIsScheduledForDeletion() throws InterruptedException {
        SecretsManagerClient sm = clients.client(SecretsManagerClient.class, SecretsManagerClient::builder);
        String name = stack + "/token";
        String arn = sm.createSecret(b -> b.name(name).secretString("one")).arn();
        sm.deleteSecret(b -> b.secretId(arn).recoveryWindowInDays(7L));

        assertRefused(() -> sm.createSecret(b -> b.name(name).secretString("two")), "InvalidRequestException",
                "You can't create this secret because a secret with this name is already scheduled for deletion.");
        sm.restoreSecret(b -> b.secretId(arn));
        assertThat(sm.getSecretValue(b -> b.secretId(name)).secretString()).isEqualTo("one");

        // A forced delete runs in the background: the name is still taken a moment, and nothing can be restored.
        sm.deleteSecret(b -> b.secretId(arn).forceDeleteWithoutRecovery(true));
        assertRefused(() -> sm.createSecret(b -> b.name(name).secretString("two")), "InvalidRequestException",
                "scheduled for deletion");
        assertRefused(() -> sm.restoreSecret(b -> b.secretId(arn)), "InvalidRequestException", "it was deleted");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                sm.createSecret(b -> b.name(name).secretString("two"));
                break;
            } catch (InvalidRequestException e) {
                assertThat(System.nanoTime()).as("the name is free within 30 s").isLessThan(deadline);
                Thread.sleep(500);
            }
        }
        assertThat(sm.getSecretValue(b -> b.secretId(name)).secretString()).isEqualTo("two");
        sm.deleteSecret(b -> b.secretId(name).forceDeleteWithoutRecovery(true));
    }

    /**
     * The two interfaces {@code described} names outlive their owner: while they last, the subnet and the group they
     * use cannot be deleted; within 30 s they are released and both can.
     */
    private void assertHeldThenReleased(Filter described, String subnet, String group) throws InterruptedException {
        assertThat(ec2.describeNetworkInterfaces(b -> b.filters(described)).networkInterfaces()).hasSize(2);
        assertRefused(() -> ec2.deleteSubnet(b -> b.subnetId(subnet)), "DependencyViolation",
                "has dependencies and cannot be deleted");
        assertRefused(() -> ec2.deleteSecurityGroup(b -> b.groupId(group)), "DependencyViolation",
                "has a dependent object");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ec2.describeNetworkInterfaces(b -> b.filters(described)).networkInterfaces().isEmpty()) {
            assertThat(System.nanoTime()).as("the interfaces are released within 30 s").isLessThan(deadline);
            Thread.sleep(500);
        }
        assertThatCode(() -> ec2.deleteSubnet(b -> b.subnetId(subnet))).doesNotThrowAnyException();
        assertThatCode(() -> ec2.deleteSecurityGroup(b -> b.groupId(group))).doesNotThrowAnyException();
    }
}
