package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.FakeHelm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
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
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * samples/seed-architecture.yaml end to end against the emulator: apply to an empty region, read
 * every component back through the SDK and check the wiring, plan again (no changes), change what
 * updates in place and what forces a replacement, destroy to nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedArchitectureIT {

    static final String REGION = "eu-west-2";
    /** The emulator's account. */
    static final String ACCOUNT = "123456789012";

    @TempDir
    static Path dir;

    static AwsClients aws;
    static Ec2Client ec2;
    /** The helm infra runs: CI has no real one (and the emulator no Kubernetes API for it). */
    static FakeHelm helm;
    static String seed;
    /** The stack key, read once it exists: destroy schedules its deletion. */
    static String keyArn;
    /** What the account had before the stack: a detector and EBS encryption by default with its own key. */
    static String accountDetector;
    static String accountKey;

    @BeforeAll
    static void start() throws IOException {
        aws = Emulator.clients(REGION);
        ec2 = aws.ec2();
        helm = FakeHelm.in(dir.resolve("helm-bin"));
        seed = Files.readString(Path.of("../samples/seed-architecture.yaml"))
                .replace("region: us-east-1", "region: " + REGION);
        Files.writeString(dir.resolve("infra.yaml"), seed);
        accountKey = aws.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("the account's"))
                .keyMetadata().arn();
        ec2.enableEbsEncryptionByDefault(b -> { });
        ec2.modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(accountKey));
        accountDetector = aws.client(GuardDutyClient.class, GuardDutyClient::builder).createDetector(b -> b.enable(true)
                .findingPublishingFrequency("SIX_HOURS").tags(Map.of("owner", "security-team"))).detectorId();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static Cli.Result infra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2", "--helm", helm.binary().toString()));
        if (args[0].equals("apply") || args[0].equals("destroy")) {
            all.addAll(List.of("--heartbeat", "1"));
        }
        return Cli.run(all.toArray(String[]::new));
    }

    /** A derived global name as the stack makes it: with the suffix its (primary's) state gives. */
    static String named(String derived) {
        return Cli.named(dir.resolve(".infra").resolve("shop." + REGION + ".json"), derived);
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
        // The account's detector and EBS encryption by default are borrowed (updated), not created.
        assertThat(r.out()).contains("Apply complete! Resources: 137 added, 2 changed, 0 replaced, 0 destroyed, 2 adopted.",
                "= encryption/ebs-default (aws_ebs_encryption_by_default) " + REGION + ", then update",
                "= monitoring/guardduty (aws_guardduty_detector) " + accountDetector + ", then update");
    }

    /**
     * The in-cluster step is part of the apply: Cilium once the cluster is ACTIVE and before the node groups (nodes
     * without a CNI never become Ready), the NGINX ingress after them on the NodePort the target groups use. The
     * emulator cannot see inside a cluster, so the order is read from the fake helm's record of its calls and from
     * EKS's own createdAt of the cluster (ACTIVE at once on the emulator) and of the node group (CreateNodegroup).
     */
    @Test
    @Order(2)
    void theApplyInstallsCiliumBetweenTheClusterAndTheNodeGroupsAndTheIngressAfter() {
        List<FakeHelm.Call> upgrades = helm.calls("upgrade");
        assertThat(upgrades).extracting(FakeHelm.Call::release).containsExactly("cilium", "ingress-nginx");
        FakeHelm.Call cilium = upgrades.get(0);
        FakeHelm.Call ingress = upgrades.get(1);
        var cluster = aws.eks().describeCluster(b -> b.name("shop-apps")).cluster();
        var nodeGroup = aws.eks().describeNodegroup(b -> b.clusterName("shop-apps").nodegroupName("shop-apps-general"))
                .nodegroup();
        assertThat(cluster.createdAt()).isBefore(cilium.start());
        assertThat(cilium.end()).isBefore(nodeGroup.createdAt());
        assertThat(nodeGroup.createdAt()).isBefore(ingress.start());

        // Cilium in ENI mode replacing kube-proxy, pointed at the cluster's endpoint; the chart version pinned.
        assertThat(cilium.server()).isEqualTo(cluster.endpoint());
        assertThat(cilium.namespace()).isEqualTo("kube-system");
        assertThat(cilium.version()).isEqualTo("1.16.5");
        assertThat(cilium.values().path("k8sServiceHost").asText()).isEqualTo(java.net.URI.create(cluster.endpoint()).getHost());
        assertThat(cilium.values().path("kubeProxyReplacement").asBoolean()).isTrue();
        assertThat(cilium.values().path("ipam").path("mode").asText()).isEqualTo("eni");
        assertThat(cilium.values().path("eni").path("enabled").asBoolean()).isTrue();
        // The ingress on the port the ALBs' target groups forward to.
        int port = aws.client(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder)
                .describeTargetGroups(b -> b.names("shop-public-30080")).targetGroups().get(0).port();
        assertThat(ingress.values().path("controller").path("service").path("nodePorts").path("http").asInt()).isEqualTo(port);
        assertThat(ingress.values().path("controller").path("service").path("type").asText()).isEqualTo("NodePort");
        // Each call had a private kubeconfig of its own, gone afterwards, whose token STS answered.
        assertThat(helm.calls()).allSatisfy(c -> {
            assertThat(c.kubeconfigMode()).isEqualTo("0o600");
            assertThat(Path.of(c.kubeconfig())).doesNotExist();
            assertThat(c.kubeconfig()).doesNotContain(".kube");
            assertThat(c.token().path("ok").asBoolean()).as(c.token().toString()).isTrue();
        });
        // Cilium's operator makes the pods' ENIs with the nodes' role.
        assertThat(aws.client(IamClient.class, IamClient::builder)
                .listAttachedRolePolicies(b -> b.roleName("shop-apps-node-" + REGION)).attachedPolicies())
                .extracting(a -> a.policyName()).contains("AmazonEKS_CNI_Policy");
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
        keyArn = kms.describeKey(b -> b.keyId("alias/infra-shop")).keyMetadata().arn();
        List<Volume> volumes = ec2.describeVolumes(b -> b.filters(stack())).volumes();
        assertThat(volumes).isNotEmpty().allSatisfy(v -> {
            assertThat(v.encrypted()).isTrue();
            assertThat(v.kmsKeyId()).isEqualTo(keyArn);
        });
        // Root volumes too (encryption by default); the five data volumes are attached to their instances.
        assertThat(dataVolumes("")).hasSize(5).allSatisfy(v -> assertThat(v.attachments()).hasSize(1));
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
                .containsExactly("arn:aws:s3:::" + named("aws-waf-logs-shop-" + REGION));
        // Access logs: each ALB to the region's log bucket under its name; the bucket lets ELB deliver (eu-west-2's
        // Elastic Load Balancing account) and uses SSE-S3, the only encryption ALB log delivery supports.
        String logs = named("shop-lb-logs-" + REGION);
        for (LoadBalancer lb : lbs) {
            Map<String, String> attrs = new TreeMap<>();
            elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(lb.loadBalancerArn())).attributes()
                    .forEach(a -> attrs.put(a.key(), a.value()));
            assertThat(attrs).containsEntry("access_logs.s3.enabled", "true").containsEntry("access_logs.s3.bucket", logs)
                    .containsEntry("access_logs.s3.prefix", lb.loadBalancerName().substring("shop-".length()));
        }
        assertThat(aws.s3().getBucketPolicy(b -> b.bucket(logs)).policy())
                .contains("\"Principal\":{\"AWS\":\"arn:aws:iam::652711504416:root\"}", "\"Action\":\"s3:PutObject\"",
                        "arn:aws:s3:::" + logs + "/public/AWSLogs/" + ACCOUNT + "/*",
                        "arn:aws:s3:::" + logs + "/internal/AWSLogs/" + ACCOUNT + "/*");
        assertThat(aws.s3().getBucketEncryption(b -> b.bucket(logs)).serverSideEncryptionConfiguration().rules().get(0)
                .applyServerSideEncryptionByDefault().sseAlgorithmAsString()).isEqualTo("AES256");
        assertThat(lbs.stream().filter(lb -> lb.schemeAsString().equals("internet-facing")).findFirst().orElseThrow()
                .availabilityZones().stream().map(z -> z.subnetId()).collect(Collectors.toSet())).isEqualTo(subnetsOf("public"));
    }

    /** Each ALB's target group has the node group's Auto Scaling group attached, and the nodes let the ALB in. */
    @Test
    @Order(4)
    void theNodesAreTheAlbsTargetsAndReachableOnTheIngressNodePort() {
        ElasticLoadBalancingV2Client elb = aws.client(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder);
        String nodeGroup = aws.eks().describeNodegroup(b -> b.clusterName("shop-apps").nodegroupName("shop-apps-general"))
                .nodegroup().resources().autoScalingGroups().get(0).name();
        AutoScalingClient asg = aws.client(AutoScalingClient.class, AutoScalingClient::builder);
        List<String> attached = asg.describeLoadBalancerTargetGroups(b -> b.autoScalingGroupName(nodeGroup))
                .loadBalancerTargetGroups().stream().map(t -> t.loadBalancerTargetGroupARN()).toList();
        List<String> targetGroups = elb.describeTargetGroups(b -> b.names("shop-public-30080", "shop-internal-30080"))
                .targetGroups().stream().map(t -> t.targetGroupArn()).toList();
        assertThat(attached).containsExactlyInAnyOrderElementsOf(targetGroups);
        for (String tg : targetGroups) {
            assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions()).isNotEmpty();
        }
        String clusterGroup = aws.eks().describeCluster(b -> b.name("shop-apps")).cluster().resourcesVpcConfig().clusterSecurityGroupId();
        var rules = ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(clusterGroup).build()))
                .securityGroupRules().stream().filter(r -> !r.isEgress() && r.fromPort() != null && r.fromPort() == 30080).toList();
        assertThat(rules).hasSize(2).allSatisfy(r -> assertThat(r.referencedGroupInfo()).isNotNull());
    }

    @Test
    @Order(5)
    void dataStoresAndMonitoringAreWiredAndEncrypted() {
        KmsClient kms = aws.client(KmsClient.class, KmsClient::builder);
        String keyArn = kms.describeKey(b -> b.keyId("alias/infra-shop")).keyMetadata().arn();
        DynamoDbClient ddb = aws.client(DynamoDbClient.class, DynamoDbClient::builder);
        var table = ddb.describeTable(b -> b.tableName("shop-orders")).table();
        assertThat(table.sseDescription().kmsMasterKeyArn()).isEqualTo(keyArn);
        assertThat(table.deletionProtectionEnabled()).isTrue();
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(i -> assertThat(i.indexName()).isEqualTo("by-customer"));
        assertThat(ddb.describeContinuousBackups(b -> b.tableName("shop-orders")).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("ENABLED");

        ElastiCacheClient cache = aws.client(ElastiCacheClient.class, ElastiCacheClient::builder);
        var group = cache.describeReplicationGroups(b -> b.replicationGroupId("shop-sessions")).replicationGroups().get(0);
        assertThat(group.atRestEncryptionEnabled()).isTrue();
        assertThat(group.transitEncryptionEnabled()).isTrue();
        assertThat(group.kmsKeyId()).isEqualTo(keyArn);
        // Reachable only from the cluster's nodes: the one ingress rule names the EKS cluster security group.
        EksClient eks = aws.client(EksClient.class, EksClient::builder);
        String nodes = eks.describeCluster(b -> b.name("shop-apps")).cluster().resourcesVpcConfig().clusterSecurityGroupId();
        String cacheSg = ec2.describeSecurityGroups(b -> b.filters(stack())).securityGroups().stream()
                .filter(g -> "cache.sessions/security-group".equals(tag(g.tags(), "infra:address"))).findFirst().orElseThrow().groupId();
        assertThat(ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(cacheSg).build()))
                .securityGroupRules().stream().filter(x -> !x.isEgress()))
                .singleElement().satisfies(x -> assertThat(x.referencedGroupInfo().groupId()).isEqualTo(nodes));

        S3Client s3 = aws.s3();
        String audit = named("shop-audit-" + REGION);
        assertThat(s3.getBucketEncryption(b -> b.bucket(audit)).serverSideEncryptionConfiguration().rules().get(0)
                .applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(keyArn);
        assertThat(s3.getBucketPolicy(b -> b.bucket(audit)).policy()).contains("cloudtrail.amazonaws.com");
        // The seed's rule and infra's: old versions, incomplete uploads and expired delete markers do not pile up.
        var rules = s3.getBucketLifecycleConfiguration(b -> b.bucket(audit)).rules();
        assertThat(rules).extracting(r -> r.id()).containsExactlyInAnyOrder("archive", "infra-housekeeping");
        rules.forEach(rule -> {
            if (rule.id().equals("archive")) {
                assertThat(rule.noncurrentVersionExpiration().noncurrentDays()).isEqualTo(365);
                assertThat(rule.expiration().days()).isEqualTo(2555);
            } else {
                assertThat(rule.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(7);
                assertThat(rule.expiration().expiredObjectDeleteMarker()).isTrue();
            }
        });

        CloudTrailClient trail = aws.client(CloudTrailClient.class, CloudTrailClient::builder);
        var t = trail.describeTrails(b -> b.trailNameList("shop-trail")).trailList().get(0);
        assertThat(t.isMultiRegionTrail()).isTrue();
        assertThat(t.logFileValidationEnabled()).isTrue();
        assertThat(t.s3BucketName()).isEqualTo(audit);
        assertThat(t.kmsKeyId()).isEqualTo(keyArn);

        GuardDutyClient gd = aws.client(GuardDutyClient.class, GuardDutyClient::builder);
        assertThat(gd.listDetectors(b -> { }).detectorIds()).containsExactly(accountDetector);
        assertThat(gd.getDetector(b -> b.detectorId(accountDetector)).findingPublishingFrequencyAsString())
                .isEqualTo("FIFTEEN_MINUTES");

        // The archive's snapshot role: OpenSearch may use the archive bucket, and infra output says how to register it.
        var snapshots = aws.client(software.amazon.awssdk.services.iam.IamClient.class,
                software.amazon.awssdk.services.iam.IamClient::builder).getRole(b -> b.roleName("shop-log-search-snapshots"))
                .role();
        assertThat(java.net.URLDecoder.decode(snapshots.assumeRolePolicyDocument(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("es.amazonaws.com");
        assertThat(infra("output", "log_search_snapshot_registration").out()).contains("/_snapshot/archive",
                named("shop-elk-logs-" + REGION), snapshots.arn());
        OpenSearchClient os = aws.client(OpenSearchClient.class, OpenSearchClient::builder);
        var domain = os.describeDomain(b -> b.domainName("shop-logs")).domainStatus();
        assertThat(domain.encryptionAtRestOptions().kmsKeyId()).isEqualTo(keyArn);
        assertThat(domain.nodeToNodeEncryptionOptions().enabled()).isTrue();
        assertThat(domain.domainEndpointOptions().enforceHTTPS()).isTrue();
        assertThat(Set.copyOf(domain.vpcOptions().subnetIds())).isSubsetOf(subnetsOf("private"));

        AthenaClient athena = aws.client(AthenaClient.class, AthenaClient::builder);
        assertThat(athena.getWorkGroup(b -> b.workGroup("shop-logs")).workGroup().configuration().resultConfiguration()
                .outputLocation()).isEqualTo("s3://" + audit + "/athena-results/");
        GlueClient glue = aws.client(GlueClient.class, GlueClient::builder);
        assertThat(glue.getTables(b -> b.databaseName("shop_logs")).tableList().stream().map(x -> x.name()))
                .containsExactlyInAnyOrder("cloudtrail", "waf", "alb", "vpc_flow", "guardduty", "cloudwatch");
        assertThat(glue.getTable(b -> b.databaseName("shop_logs").name("alb")).table().storageDescriptor().location())
                .isEqualTo("s3://" + named("shop-lb-logs-" + REGION) + "/");

        CloudWatchClient cw = aws.client(CloudWatchClient.class, CloudWatchClient::builder);
        assertThat(cw.describeAlarms(b -> b.alarmNamePrefix("shop-")).metricAlarms().stream().map(a -> a.alarmName()))
                .contains("shop-nat-a-errors", "shop-alb-public-5xx", "shop-access-proxy-capacity");

        // Services: each on its own encrypted volume, attached.
        assertThat(dataVolumes("service.")).hasSize(3).allSatisfy(v -> {
            assertThat(v.encrypted()).isTrue();
            assertThat(v.attachments()).hasSize(1);
        });
    }

    /**
     * Every log source of the seed lands in the region's archive, as an independent read of the emulator finds it: the
     * VPC's flow logs (Parquet, hourly), GuardDuty's publishing destination with the stack key, a subscription filter on
     * every stack log group to a Firehose stream writing there, OpenSearch publishing its logs to its group; and each
     * source's Glue table reads where that source writes.
     */
    @Test
    @Order(5)
    void everyLogSourceLandsInTheArchiveAndHasItsTable() {
        String archive = named("shop-logs-" + REGION);
        String archiveArn = "arn:aws:s3:::" + archive;
        String keyArn = aws.client(KmsClient.class, KmsClient::builder).describeKey(b -> b.keyId("alias/infra-shop"))
                .keyMetadata().arn();
        assertThat(aws.s3().getBucketEncryption(b -> b.bucket(archive)).serverSideEncryptionConfiguration().rules().get(0)
                .applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(keyArn);
        GlueClient glue = aws.client(GlueClient.class, GlueClient::builder);
        java.util.function.Function<String, software.amazon.awssdk.services.glue.model.Table> table =
                name -> glue.getTable(b -> b.databaseName("shop_logs").name(name)).table();

        String vpc = ec2.describeVpcs(b -> b.filters(stack())).vpcs().get(0).vpcId();
        var flow = ec2.describeFlowLogs(b -> b.filter(Filter.builder().name("resource-id").values(vpc).build()))
                .flowLogs();
        assertThat(flow).singleElement().satisfies(f -> {
            assertThat(f.logDestinationTypeAsString()).isEqualTo("s3");
            assertThat(f.logDestination()).isEqualTo(archiveArn + "/vpc-flow-logs/");
            assertThat(f.trafficTypeAsString()).isEqualTo("ALL");
            assertThat(f.destinationOptions().fileFormatAsString()).isEqualTo("parquet");
            assertThat(f.destinationOptions().perHourPartition()).isTrue();
        });
        // Flow logs to S3 go to <destination>AWSLogs/<account>/vpcflowlogs/<region>/ (Amazon VPC User Guide).
        var flowTable = table.apply("vpc_flow");
        assertThat(flowTable.storageDescriptor().location()).isEqualTo("s3://" + archive + "/vpc-flow-logs/AWSLogs/"
                + ACCOUNT + "/vpcflowlogs/" + REGION + "/");
        assertThat(flowTable.parameters()).containsEntry("projection.enabled", "true").containsEntry("infra.region", REGION)
                .containsEntry("classification", "parquet");

        GuardDutyClient gd = aws.client(GuardDutyClient.class, GuardDutyClient::builder);
        var destinations = gd.listPublishingDestinations(b -> b.detectorId(accountDetector)).destinations();
        assertThat(destinations).singleElement().satisfies(d -> {
            var found = gd.describePublishingDestination(b -> b.detectorId(accountDetector).destinationId(d.destinationId()));
            assertThat(found.destinationTypeAsString()).isEqualTo("S3");
            assertThat(found.destinationProperties().destinationArn()).isEqualTo(archiveArn + "/guardduty");
            assertThat(found.destinationProperties().kmsKeyArn()).isEqualTo(keyArn);
        });
        // Findings go to <destination>/AWSLogs/<account>/GuardDuty/<region>/ (GuardDuty User Guide).
        assertThat(table.apply("guardduty").storageDescriptor().location()).isEqualTo("s3://" + archive
                + "/guardduty/AWSLogs/" + ACCOUNT + "/GuardDuty/" + REGION + "/");

        var logs = aws.client(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.class,
                software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient::builder);
        var firehose = aws.client(software.amazon.awssdk.services.firehose.FirehoseClient.class,
                software.amazon.awssdk.services.firehose.FirehoseClient::builder);
        var groups = logs.describeLogGroups(b -> b.logGroupNamePrefix("/infra/shop/")).logGroups();
        assertThat(groups).extracting(g -> g.logGroupName()).containsExactlyInAnyOrder("/infra/shop/applications",
                "/infra/shop/proxies", "/infra/shop/log-search");
        String cloudwatchAt = table.apply("cloudwatch").storageDescriptor().location();
        assertThat(cloudwatchAt).isEqualTo("s3://" + archive + "/cloudwatch/");
        for (var group : groups) {
            var filters = logs.describeSubscriptionFilters(b -> b.logGroupName(group.logGroupName())).subscriptionFilters();
            assertThat(filters).as(group.logGroupName()).singleElement().satisfies(f -> {
                String stream = f.destinationArn().substring(f.destinationArn().lastIndexOf('/') + 1);
                var s3 = firehose.describeDeliveryStream(b -> b.deliveryStreamName(stream)).deliveryStreamDescription()
                        .destinations().get(0).extendedS3DestinationDescription();
                assertThat(s3.bucketARN()).isEqualTo(archiveArn);
                assertThat(s3.compressionFormatAsString()).isEqualTo("GZIP");
                assertThat(s3.encryptionConfiguration().kmsEncryptionConfig().awskmsKeyARN()).isEqualTo(keyArn);
                assertThat("s3://" + archive + "/" + s3.prefix()).startsWith(cloudwatchAt);
            });
        }

        var domain = aws.client(OpenSearchClient.class, OpenSearchClient::builder)
                .describeDomain(b -> b.domainName("shop-logs")).domainStatus();
        String searchGroup = groups.stream().filter(g -> g.logGroupName().equals("/infra/shop/log-search")).findFirst()
                .orElseThrow().arn().replaceAll(":\\*$", "");
        assertThat(domain.logPublishingOptionsAsStrings()).containsOnlyKeys("ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS",
                "SEARCH_SLOW_LOGS").allSatisfy((type, option) -> {
                    assertThat(option.enabled()).isTrue();
                    assertThat(option.cloudWatchLogsLogGroupArn()).isEqualTo(searchGroup);
                });
        assertThat(logs.describeResourcePolicies(b -> { }).resourcePolicies())
                .anySatisfy(p -> {
                    assertThat(p.policyName()).isEqualTo("shop-log-search");
                    assertThat(p.policyDocument()).contains("es.amazonaws.com", "log-group:/infra/shop/log-search:*",
                            "arn:aws:es:" + REGION + ":" + ACCOUNT + ":domain/shop-logs");
                });
        for (String name : List.of("cloudtrail", "waf", "alb")) {
            assertThat(table.apply(name).parameters()).containsEntry("infra.region", REGION);
        }
        assertThat(infra("output", "athena_queries").out()).contains("shop_logs.vpc_flow", "shop_logs.guardduty",
                "shop_logs.cloudwatch", "shop_logs.cloudtrail", "shop_logs.waf", "shop_logs.alb");
    }

    /** The statements of a policy document by Sid. */
    static Map<String, JsonNode> statements(String policy) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        new ObjectMapper().readTree(policy).path("Statement").forEach(st -> out.put(st.path("Sid").asText(), st));
        return out;
    }

    /**
     * Every policy infra writes lets a service act for this account's resources only, as read back from the API: the
     * trail bucket's statements name the stack's trail (aws:SourceArn) and its writes AWSLogs/<account>/, the WAF log
     * bucket's the account's log deliveries in the region, the key's each service's own conditions.
     */
    @Test
    @Order(5)
    void everyPolicyInfraWritesCarriesItsConditions() throws IOException {
        String trail = "arn:aws:cloudtrail:" + REGION + ":" + ACCOUNT + ":trail/shop-trail";
        String audit = named("shop-audit-" + REGION);
        Map<String, JsonNode> bucket = statements(aws.s3().getBucketPolicy(b -> b.bucket(audit)).policy());
        assertThat(bucket.get("AWSCloudTrailAclCheck").path("Condition").path("StringEquals").path("aws:SourceArn").asText())
                .isEqualTo(trail);
        JsonNode write = bucket.get("AWSCloudTrailWrite");
        assertThat(write.path("Resource").asText()).isEqualTo("arn:aws:s3:::" + audit + "/AWSLogs/" + ACCOUNT + "/*");
        assertThat(write.path("Condition").path("StringEquals").path("aws:SourceArn").asText()).isEqualTo(trail);
        assertThat(write.path("Condition").path("StringEquals").path("s3:x-amz-acl").asText())
                .isEqualTo("bucket-owner-full-control");

        String waf = named("aws-waf-logs-shop-" + REGION);
        Map<String, JsonNode> delivery = statements(aws.s3().getBucketPolicy(b -> b.bucket(waf)).policy());
        assertThat(delivery).containsOnlyKeys("AWSLogDeliveryWrite", "AWSLogDeliveryAclCheck");
        delivery.values().forEach(st -> {
            assertThat(st.path("Principal").path("Service").asText()).isEqualTo("delivery.logs.amazonaws.com");
            assertThat(st.path("Condition").path("StringEquals").path("aws:SourceAccount").asText()).isEqualTo(ACCOUNT);
            assertThat(st.path("Condition").path("ArnLike").path("aws:SourceArn").asText())
                    .isEqualTo("arn:aws:logs:" + REGION + ":" + ACCOUNT + ":*");
        });
        assertThat(delivery.get("AWSLogDeliveryWrite").path("Resource").asText())
                .isEqualTo("arn:aws:s3:::" + waf + "/AWSLogs/" + ACCOUNT + "/*");

        KmsClient kms = aws.client(KmsClient.class, KmsClient::builder);
        String keyId = kms.describeKey(b -> b.keyId("alias/infra-shop")).keyMetadata().keyId();
        Map<String, JsonNode> key = statements(kms.getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy());
        assertThat(key.get("InfraForGuardduty").path("Condition").path("ArnLike").path("aws:SourceArn").asText())
                .isEqualTo("arn:aws:guardduty:" + REGION + ":" + ACCOUNT + ":detector/*");
        assertThat(key.get("InfraForDelivery").path("Condition").path("StringEquals").path("aws:SourceAccount").asText())
                .isEqualTo(ACCOUNT);
        String archive = named("shop-logs-" + REGION);
        Map<String, JsonNode> archivePolicy = statements(aws.s3().getBucketPolicy(b -> b.bucket(archive)).policy());
        assertThat(archivePolicy).containsOnlyKeys("AWSLogDeliveryWrite", "AWSLogDeliveryAclCheck",
                "GuardDutyGetBucketLocation", "GuardDutyPutObject");
        assertThat(archivePolicy.get("GuardDutyPutObject").path("Condition").path("StringEquals").path("aws:SourceAccount")
                .asText()).isEqualTo(ACCOUNT);
        assertThat(archivePolicy.get("AWSLogDeliveryWrite").path("Resource").asText())
                .isEqualTo("arn:aws:s3:::" + archive + "/vpc-flow-logs/AWSLogs/" + ACCOUNT + "/*");
        assertThat(key).containsKeys("AccountRoot", "InfraForCloudtrail", "InfraForCloudtrailDescribe", "InfraForLogs",
                "InfraForCloudwatch", "InfraServiceLinkedRoles", "InfraServiceLinkedRoleGrants").doesNotContainKey("InfraServices");
        assertThat(key.get("InfraForCloudtrail").path("Condition").path("StringLike")
                .path("kms:EncryptionContext:aws:cloudtrail:arn").asText()).isEqualTo("arn:aws:cloudtrail:*:" + ACCOUNT + ":trail/*");
        assertThat(key.get("InfraForLogs").path("Condition").path("ArnLike").path("kms:EncryptionContext:aws:logs:arn")
                .asText()).isEqualTo("arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:*");
        assertThat(key.get("InfraForCloudwatch").path("Condition").path("StringEquals").path("aws:SourceAccount").asText())
                .isEqualTo(ACCOUNT);
    }

    @Test
    @Order(5)
    void secretsNeverReachPlanOutputOrState() throws IOException {
        SecretsManagerClient sm = aws.client(SecretsManagerClient.class, SecretsManagerClient::builder);
        String token = sm.getSecretValue(b -> b.secretId("infra/shop/sessions/redis-auth-token")).secretString();
        assertThat(token).hasSizeGreaterThanOrEqualTo(32);
        try (var files = Files.walk(dir.resolve(".infra"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).doesNotContain(token);
            }
        }
        Cli.Result plan = infra("plan", "--json");
        assertThat(plan.out() + plan.err()).doesNotContain(token);
        assertThat(infra("output", "--json").out()).doesNotContain(token);
    }

    @Test
    @Order(5)
    void planAgainHasNoChanges() {
        helm.clearCalls();
        Cli.Result r = infra("plan", "--detailed-exitcode", "--stats");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("No changes.");
        // A second apply changes nothing in the cluster either: helm is only asked.
        Cli.Result again = infra("apply", "--auto-approve");
        assertThat(again.exit()).as(again.toString()).isEqualTo(0);
        assertThat(helm.calls("upgrade")).isEmpty();
        assertThat(helm.calls("status")).extracting(FakeHelm.Call::release).contains("cilium", "ingress-nginx");
    }

    static List<Volume> dataVolumes(String addressPrefix) {
        return ec2.describeVolumes(b -> b.filters(stack())).volumes().stream()
                .filter(v -> tag(v.tags(), "infra:address") != null && tag(v.tags(), "infra:address").startsWith(addressPrefix))
                .filter(v -> tag(v.tags(), "infra:address").contains("data"))
                .toList();
    }

    static List<Volume> dataVolumes() {
        return dataVolumes("access-proxy/auth-data.");
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
                .replace("authServers: {count: 2, instanceType: t3.medium", "authServers: {count: 2, instanceType: t3.large")
                .replace("cni: cilium", "cni: cilium\n    cniVersion: 1.16.6"));
        Cli.Result plan = infra("plan");
        assertThat(plan.out()).as(plan.toString())
                .contains("~ access-proxy/group").contains("~ maxSize: 6 -> 8")
                .contains("~ egress-proxy/launch-template")
                .contains("~ firewall/web-acl")
                .contains("-/+ access-proxy/auth-server.0").contains("forces replacement: instanceType")
                .contains("~ cluster.apps/cilium").contains("~ version: \"1.16.5\" -> \"1.16.6\"")
                .doesNotContain("access-proxy/auth-data.0 (");
        helm.clearCalls();
        Cli.Result apply = infra("apply", "--auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);
        assertThat(group("shop-access-proxy").maxSize()).isEqualTo(8);
        // A new chart version is one in-place upgrade of that release: a second revision, nothing reinstalled.
        assertThat(helm.calls("upgrade")).singleElement().satisfies(c -> {
            assertThat(c.release()).isEqualTo("cilium");
            assertThat(c.version()).isEqualTo("1.16.6");
        });
        assertThat(helm.calls("uninstall")).isEmpty();
        assertThat(infra("state", "show", "cluster.apps/cilium").out()).contains("\"revision\" : 2");
        // The data volumes survive the auth servers' replacement and are attached to the new instances.
        List<Volume> after = dataVolumes();
        assertThat(after.stream().map(Volume::volumeId).collect(Collectors.toSet())).isEqualTo(volumesBefore);
        assertThat(after).allSatisfy(v -> assertThat(v.attachments()).singleElement()
                .satisfies(a -> assertThat(attachedBefore).doesNotContain(a.instanceId())));
        assertThat(infra("plan", "--detailed-exitcode").exit()).isEqualTo(0);
        assertThat(infra("output", "cluster_apps_kubeconfig").out())
                .isEqualTo("aws eks update-kubeconfig --region " + REGION + " --name shop-apps\n");
    }

    /**
     * A new ingress NodePort replaces the target groups while the listeners forward to them, which AWS refuses to
     * delete: each new group is made first, the listener and the nodes move to it, then the old one goes.
     */
    @Test
    @Order(7)
    void targetGroupsInUseAreReplacedCreateBeforeDestroy() throws IOException {
        ElasticLoadBalancingV2Client elb = aws.client(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder);
        String oldArn = elb.describeTargetGroups(b -> b.names("shop-public-30080")).targetGroups().get(0).targetGroupArn();
        Files.writeString(dir.resolve("infra.yaml"), seed.replace("ingress: {nodePort: 30080}", "ingress: {nodePort: 30081}"));
        Cli.Result plan = infra("plan");
        assertThat(plan.out()).as(plan.toString()).contains("-/+ load-balancer.public/target-group")
                .contains("forces replacement: name, port").contains("~ cluster.apps/ingress-nginx");

        helm.clearCalls();
        Cli.Result apply = infra("apply", "--auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);
        // The ingress moves to the new NodePort in place (its values change; the chart version does not). Cilium goes
        // back to the seed's version, which the previous test moved on.
        assertThat(helm.calls("upgrade")).extracting(FakeHelm.Call::release, FakeHelm.Call::version)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ingress-nginx", "4.11.3"),
                        org.assertj.core.groups.Tuple.tuple("cilium", "1.16.5"));
        assertThat(helm.calls("upgrade")).filteredOn(c -> c.release().equals("ingress-nginx")).singleElement().satisfies(c -> {
            assertThat(c.release()).isEqualTo("ingress-nginx");
            assertThat(c.values().path("controller").path("service").path("nodePorts").path("http").asInt()).isEqualTo(30081);
        });
        assertThat(elb.describeTargetGroups().targetGroups()).extracting(t -> t.targetGroupName())
                .contains("shop-public-30081", "shop-internal-30081").doesNotContain("shop-public-30080", "shop-internal-30080");
        String newArn = elb.describeTargetGroups(b -> b.names("shop-public-30081")).targetGroups().get(0).targetGroupArn();
        LoadBalancer lb = elb.describeLoadBalancers(b -> b.names("shop-public")).loadBalancers().get(0);
        assertThat(elb.describeListeners(b -> b.loadBalancerArn(lb.loadBalancerArn())).listeners())
                .allSatisfy(l -> assertThat(l.defaultActions().get(0).targetGroupArn()).isEqualTo(newArn));
        String nodeGroup = aws.eks().describeNodegroup(b -> b.clusterName("shop-apps").nodegroupName("shop-apps-general"))
                .nodegroup().resources().autoScalingGroups().get(0).name();
        assertThat(aws.client(AutoScalingClient.class, AutoScalingClient::builder)
                .describeLoadBalancerTargetGroups(b -> b.autoScalingGroupName(nodeGroup)).loadBalancerTargetGroups())
                .extracting(t -> t.loadBalancerTargetGroupARN()).contains(newArn).doesNotContain(oldArn);
        assertThat(infra("state", "show", "load-balancer.public/target-group").out()).contains(newArn);
        assertThat(infra("plan", "--detailed-exitcode").exit()).isEqualTo(0);
        Files.writeString(dir.resolve("infra.yaml"), seed);
        assertThat(infra("apply", "--auto-approve").exit()).isEqualTo(0);
    }

    @Test
    @Order(8)
    void destroyIsRefusedWhileATableIsProtected() {
        int before = infra("state", "list").out().split("\n").length;
        Cli.Result r = infra("destroy", "--auto-approve");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("table.orders: error: deletion protection is on (deletionProtection)");
        // Refused at plan time: nothing was deleted.
        assertThat(infra("state", "list").out().split("\n")).hasSize(before);
        DynamoDbClient ddb = aws.client(DynamoDbClient.class, DynamoDbClient::builder);
        assertThat(ddb.describeTable(b -> b.tableName("shop-orders")).table().tableName()).isEqualTo("shop-orders");
    }

    /**
     * An object in the audit bucket (CloudTrail's): destroy changes nothing and says why, --force-delete-data does not
     * cover audit logs either; the bucket's own forceDestroy: true lets them go (the plan says what goes).
     */
    @Test
    @Order(9)
    void destroyKeepsTheAuditBucketsObjectsUnlessItSaysForceDestroy() throws IOException {
        Files.writeString(dir.resolve("infra.yaml"), Files.readString(dir.resolve("infra.yaml"))
                .replace("deletionProtection: true", "deletionProtection: false"));
        Cli.Result unprotect = infra("apply", "--auto-approve");
        assertThat(unprotect.exit()).as(unprotect.toString()).isEqualTo(0);
        String audit = named("shop-audit-" + REGION);
        aws.s3().putObject(b -> b.bucket(audit).key("AWSLogs/digest.json"), RequestBody.fromString("{}"));
        String stateBefore = infra("state", "list").out();

        for (List<String> args : List.of(List.of("destroy", "--auto-approve"),
                List.of("destroy", "--auto-approve", "--force-delete-data"))) {
            Cli.Result r = infra(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("bucket.audit: error: holds 1 object, which would go if it were deleted;"
                    + " audit logs go only when the resource itself says forceDestroy: true in the topology");
        }
        // Refused at plan time: nothing was deleted, the object is there.
        assertThat(infra("state", "list").out()).isEqualTo(stateBefore);
        assertThat(aws.s3().listObjectsV2(b -> b.bucket(audit)).contents()).hasSize(1);
        assertThat(ec2.describeVpcs(b -> b.filters(stack())).vpcs()).hasSize(1);

        Files.writeString(dir.resolve("infra.yaml"), Files.readString(dir.resolve("infra.yaml"))
                .replace("  audit:\n    versioning: true", "  audit:\n    forceDestroy: true\n    versioning: true"));
        Cli.Result plan = infra("plan", "--destroy");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        assertThat(plan.out()).contains("- bucket.audit (aws_s3_bucket) " + audit, "! goes with it: 1 object");
    }

    @Test
    @Order(10)
    void destroyLeavesNothing() {
        helm.clearCalls();
        Cli.Result r = infra("destroy", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(ec2.describeVpcs(b -> b.filters(stack())).vpcs()).isEmpty();
        // The releases were uninstalled (the ingress first: it depends on the node groups, which depend on Cilium).
        assertThat(helm.calls("uninstall")).extracting(FakeHelm.Call::release).containsExactly("ingress-nginx", "cilium");
        assertThat(helm.releases()).isEmpty();
        assertThat(ec2.describeInstances(b -> b.filters(stack())).reservations().stream()
                .flatMap(res -> res.instances().stream())
                .filter(i -> !i.state().nameAsString().equals("terminated"))).isEmpty();
        assertThat(ec2.describeVolumes(b -> b.filters(stack())).volumes()).isEmpty();
        KmsClient kms = aws.client(KmsClient.class, KmsClient::builder);
        assertThat(kms.listAliases().aliases()).noneMatch(a -> a.aliasName().equals("alias/infra-shop"));
        assertThat(aws.s3().listBuckets().buckets()).noneMatch(b -> b.name().startsWith("shop-") || b.name().startsWith("aws-waf-logs-shop-"));
        assertThat(infra("state", "list").out()).isEmpty();
        assertThat(aws.client(DynamoDbClient.class, DynamoDbClient::builder).listTables().tableNames()).doesNotContain("shop-orders");
        assertThat(kms.describeKey(b -> b.keyId(keyArn)).keyMetadata().keyStateAsString()).isEqualTo("PendingDeletion");
        // What the account had before the stack is as it was: the stack borrowed it.
        GuardDutyClient gd = aws.client(GuardDutyClient.class, GuardDutyClient::builder);
        assertThat(gd.listDetectors(b -> { }).detectorIds()).containsExactly(accountDetector);
        assertThat(gd.listPublishingDestinations(b -> b.detectorId(accountDetector)).destinations()).isEmpty();
        assertThat(ec2.describeFlowLogs(b -> b.filter(stack())).flowLogs()).isEmpty();
        assertThat(aws.client(software.amazon.awssdk.services.firehose.FirehoseClient.class,
                software.amazon.awssdk.services.firehose.FirehoseClient::builder).listDeliveryStreams(b -> { })
                .deliveryStreamNames()).noneMatch(n -> n.startsWith("shop-"));
        var detector = gd.getDetector(b -> b.detectorId(accountDetector));
        assertThat(detector.findingPublishingFrequencyAsString()).isEqualTo("SIX_HOURS");
        assertThat(detector.tags()).isEqualTo(Map.of("owner", "security-team"));
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(accountKey);
    }

    /** Without Helm on PATH (CI has none), plan and apply fail before any change, with one line saying what to do. */
    @Test
    @Order(11)
    void withoutHelmNothingChanges() throws Exception {
        Path jar = Path.of("target", "infra.jar");
        assertThat(jar).as("the shaded jar, built in package (failsafe runs after it)").exists();
        Files.createDirectories(dir.resolve("no-helm"));
        // A plan made where Helm is, applied where it is not, is refused as well.
        Cli.Result saved = infra("plan", "-o", dir.resolve("no-helm/plan.json").toString());
        assertThat(saved.exit()).as(saved.toString()).isEqualTo(0);
        for (String command : List.of("plan", "apply", "apply " + dir.resolve("no-helm/plan.json"))) {
            ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
                    "-Daws.accessKeyId=testing", "-Daws.secretAccessKey=testing", "-jar", jar.toAbsolutePath().toString(),
                    command.split(" ")[0], "-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                    "--endpoint-url", Emulator.endpoint().toString(), "--auto-approve")
                    .redirectOutput(dir.resolve("no-helm/out").toFile()).redirectError(dir.resolve("no-helm/err").toFile());
            pb.environment().put("PATH", dir.resolve("no-helm").toString());
            if (command.equals("plan")) {
                pb.command().remove("--auto-approve");
            } else if (command.contains(" ")) {
                pb.command().set(pb.command().indexOf("--auto-approve"), command.split(" ")[1]);
            }
            Process p = pb.start();
            assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            List<String> err = Files.readAllLines(dir.resolve("no-helm/err"));
            assertThat(p.exitValue()).as(String.join("\n", err)).isEqualTo(1);
            assertThat(err).as(command).filteredOn(l -> l.contains("error")).singleElement().satisfies(l -> assertThat(l)
                    .contains(command.contains(" ") ? "plan.json: error: helm_release: Helm is not on PATH"
                            : "cluster.apps/cilium: Helm is not on PATH")
                    .contains("install Helm 3 (https://helm.sh/docs/intro/install/) or pass --helm PATH"));
        }
        assertThat(ec2.describeVpcs(b -> b.filters(stack())).vpcs()).isEmpty();
        assertThat(infra("state", "list").out()).isEmpty();
    }
}
