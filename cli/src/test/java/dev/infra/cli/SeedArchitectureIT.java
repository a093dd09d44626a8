package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

/**
 * samples/seed-architecture.yaml end to end against the emulator: apply to an empty region, read
 * every component back through the SDK and check the wiring, plan again (no changes), change what
 * updates in place and what forces a replacement, destroy to nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedArchitectureIT {

    static final String REGION = "eu-west-2";

    @TempDir
    static Path dir;

    static AwsClients aws;
    static Ec2Client ec2;
    static String seed;

    @BeforeAll
    static void start() throws IOException {
        aws = Emulator.clients(REGION);
        ec2 = aws.ec2();
        seed = Files.readString(Path.of("../samples/seed-architecture.yaml"))
                .replace("region: us-east-1", "region: " + REGION)
                .replace("aws-waf-logs-shop-us-east-1", "aws-waf-logs-shop-it");
        Files.writeString(dir.resolve("infra.yaml"), seed);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static Cli.Result infra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2", "--heartbeat", "1"));
        return Cli.run(all.toArray(String[]::new));
    }

    static Filter stack() {
        return Filter.builder().name("tag:infra:stack").values("shop").build();
    }

    static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    static Set<String> subnetsOf(String kind) {
        return ec2.describeSubnets(b -> b.filters(stack())).subnets().stream()
                .filter(s -> tag(s.tags(), "infra:address").startsWith("network/subnet." + kind))
                .map(Subnet::subnetId).collect(Collectors.toSet());
    }

    static AutoScalingGroup group(String name) {
        AutoScalingClient asg = aws.client(AutoScalingClient.class, AutoScalingClient::builder);
        return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups().get(0);
    }

    @Test
    @Order(1)
    void applyBuildsTheSeed() {
        Cli.Result r = infra("apply", "--auto-approve", "--stats");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.err()).contains("Apply complete! Resources: 66 added");
    }

    @Test
    @Order(2)
    void proxiesSitInPublicSubnetsAndNodesInPrivateOnes() {
        Set<String> publicSubnets = subnetsOf("public");
        Set<String> privateSubnets = subnetsOf("private");
        assertThat(publicSubnets).hasSize(3);
        for (String name : List.of("shop-egress-proxy", "shop-access-proxy")) {
            AutoScalingGroup g = group(name);
            assertThat(Set.of(g.vpcZoneIdentifier().split(","))).isEqualTo(publicSubnets);
        }
        assertThat(group("shop-access-proxy").maxSize()).isEqualTo(6);
        EksClient eks = aws.client(EksClient.class, EksClient::builder);
        var cluster = eks.describeCluster(b -> b.name("shop-apps")).cluster();
        assertThat(Set.copyOf(cluster.resourcesVpcConfig().subnetIds())).isEqualTo(privateSubnets);
        var ng = eks.describeNodegroup(b -> b.clusterName("shop-apps").nodegroupName("shop-apps-general")).nodegroup();
        assertThat(Set.copyOf(ng.subnets())).isEqualTo(privateSubnets);
        // Auth servers in private subnets, each with an encrypted data volume attached.
        var servers = ec2.describeInstances(b -> b.filters(stack())).reservations().stream()
                .flatMap(res -> res.instances().stream())
                .filter(i -> tag(i.tags(), "infra:address") != null && tag(i.tags(), "infra:address").startsWith("access-proxy/auth-server."))
                .toList();
        assertThat(servers).hasSize(2).allSatisfy(i -> assertThat(privateSubnets).contains(i.subnetId()));
    }

    @Test
    @Order(3)
    void everyVolumeIsEncryptedWithTheStackKey() {
        KmsClient kms = aws.client(KmsClient.class, KmsClient::builder);
        String keyArn = kms.describeKey(b -> b.keyId("alias/infra-shop")).keyMetadata().arn();
        List<Volume> volumes = ec2.describeVolumes(b -> b.filters(stack())).volumes();
        assertThat(volumes).isNotEmpty().allSatisfy(v -> {
            assertThat(v.encrypted()).isTrue();
            assertThat(v.kmsKeyId()).isEqualTo(keyArn);
        });
        assertThat(volumes.stream().filter(v -> !v.attachments().isEmpty()).count()).isEqualTo(2);
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(keyArn);
        EksClient eks = aws.client(EksClient.class, EksClient::builder);
        assertThat(eks.describeCluster(b -> b.name("shop-apps")).cluster().encryptionConfig())
                .singleElement().satisfies(e -> assertThat(e.provider().keyArn()).isEqualTo(keyArn));
    }

    @Test
    @Order(4)
    void theWebAclCoversBothAlbsAndLogsToTheBucket() {
        ElasticLoadBalancingV2Client elb = aws.client(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder);
        List<LoadBalancer> lbs = elb.describeLoadBalancers(b -> b.names("shop-public", "shop-internal")).loadBalancers();
        assertThat(lbs).hasSize(2);
        Wafv2Client waf = aws.client(Wafv2Client.class, Wafv2Client::builder);
        var acl = waf.listWebACLs(b -> b.scope("REGIONAL")).webACLs().stream()
                .filter(a -> a.name().equals("shop-web-acl")).findFirst().orElseThrow();
        for (LoadBalancer lb : lbs) {
            assertThat(waf.getWebACLForResource(b -> b.resourceArn(lb.loadBalancerArn())).webACL().arn()).isEqualTo(acl.arn());
        }
        assertThat(waf.getLoggingConfiguration(b -> b.resourceArn(acl.arn())).loggingConfiguration().logDestinationConfigs())
                .containsExactly("arn:aws:s3:::aws-waf-logs-shop-it");
        assertThat(lbs.stream().filter(lb -> lb.schemeAsString().equals("internet-facing")).findFirst().orElseThrow()
                .availabilityZones().stream().map(z -> z.subnetId()).collect(Collectors.toSet())).isEqualTo(subnetsOf("public"));
    }

    @Test
    @Order(5)
    void planAgainHasNoChanges() {
        Cli.Result r = infra("plan", "--detailed-exitcode", "--stats");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("No changes.");
    }

    static List<Volume> dataVolumes() {
        return ec2.describeVolumes(b -> b.filters(stack())).volumes().stream()
                .filter(v -> tag(v.tags(), "infra:address") != null && tag(v.tags(), "infra:address").startsWith("access-proxy/auth-data."))
                .toList();
    }

    @Test
    @Order(6)
    void updatesInPlaceAndReplacements() throws IOException {
        Set<String> volumesBefore = dataVolumes().stream().map(Volume::volumeId).collect(Collectors.toSet());
        Set<String> attachedBefore = dataVolumes().stream().map(v -> v.attachments().get(0).instanceId()).collect(Collectors.toSet());
        Files.writeString(dir.resolve("infra.yaml"), seed
                .replace("capacity: {min: 2, max: 6, cpuTarget: 60}", "capacity: {min: 2, max: 8, cpuTarget: 60}")
                .replace("allowedDomains: [.amazonaws.com, .github.com, .docker.io]", "allowedDomains: [.amazonaws.com, .github.com]")
                .replace("[AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet]", "[AWSManagedRulesCommonRuleSet]")
                .replace("authServers: {count: 2, instanceType: t3.medium", "authServers: {count: 2, instanceType: t3.large"));
        Cli.Result plan = infra("plan");
        assertThat(plan.out()).as(plan.toString())
                .contains("~ access-proxy/group").contains("~ maxSize: 6 -> 8")
                .contains("~ egress-proxy/launch-template")
                .contains("~ firewall/web-acl")
                .contains("-/+ access-proxy/auth-server.0").contains("forces replacement: instanceType")
                .doesNotContain("access-proxy/auth-data.0 (");
        Cli.Result apply = infra("apply", "--auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);
        assertThat(group("shop-access-proxy").maxSize()).isEqualTo(8);
        // The data volumes survive the auth servers' replacement and are attached to the new instances.
        List<Volume> after = dataVolumes();
        assertThat(after.stream().map(Volume::volumeId).collect(Collectors.toSet())).isEqualTo(volumesBefore);
        assertThat(after).allSatisfy(v -> assertThat(v.attachments()).singleElement()
                .satisfies(a -> assertThat(attachedBefore).doesNotContain(a.instanceId())));
        assertThat(infra("plan", "--detailed-exitcode").exit()).isEqualTo(0);
        assertThat(infra("output", "cluster_apps_helm").out()).contains("controller.service.nodePorts.http=30080");
    }

    @Test
    @Order(7)
    void destroyLeavesNothing() {
        Cli.Result r = infra("destroy", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(ec2.describeVpcs(b -> b.filters(stack())).vpcs()).isEmpty();
        assertThat(ec2.describeInstances(b -> b.filters(stack())).reservations().stream()
                .flatMap(res -> res.instances().stream())
                .filter(i -> !i.state().nameAsString().equals("terminated"))).isEmpty();
        assertThat(ec2.describeVolumes(b -> b.filters(stack())).volumes()).isEmpty();
        KmsClient kms = aws.client(KmsClient.class, KmsClient::builder);
        assertThat(kms.listAliases().aliases()).noneMatch(a -> a.aliasName().equals("alias/infra-shop"));
        assertThat(infra("state", "list").out()).isEmpty();
    }
}
