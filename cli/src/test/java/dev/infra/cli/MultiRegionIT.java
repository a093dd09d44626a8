package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.topology.Cidrs;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.FakeHelm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.GlobalReplicationGroup;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

/**
 * The seed as a two-region stack: apply it in a primary region, {@code replicate --to} a second one, read both back
 * through the SDK (networks apart, each region's ALBs behind its own WAF, the table global, the bucket replicated,
 * the key a multi-Region replica, failover records with health checks, IAM not duplicated), plan both (no changes),
 * destroy the replica alone (refused while its table is protected) and check the primary is whole and unlinked,
 * replicate again (the replica key pending deletion taken back, the AUTH secret replicated again), plan clean, and
 * destroy both regions to nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiRegionIT {

    static final String PRIMARY = "eu-central-1";
    static final String REPLICA = "ap-southeast-2";
    static final String STACK = "globe";

    @TempDir
    static Path dir;

    static AwsClients primary;
    static AwsClients replica;
    static String topology;

    @BeforeAll
    static void start() throws IOException {
        primary = Emulator.clients(PRIMARY);
        replica = Emulator.clients(REPLICA);
        topology = Files.readString(Path.of("../samples/seed-architecture.yaml"))
                .replace("stack: shop", "stack: " + STACK)
                .replace("region: us-east-1", "region: " + PRIMARY)
                .replace("zone: shop.example.com", "zone: globe.example.com")
                .replace("    scheme: internet-facing\n    target: clusters.apps\n",
                        "    scheme: internet-facing\n    target: clusters.apps\n    domain: www.globe.example.com\n");
        Files.writeString(dir.resolve("infra.yaml"), topology);
    }

    @AfterAll
    static void stop() {
        primary.close();
        replica.close();
    }

    /** A derived global name as the stack makes it: with the suffix its (primary's) state gives. */
    static String named(String derived) {
        return Cli.named(dir.resolve(".infra").resolve(STACK + "." + PRIMARY + ".json"), derived);
    }

    /** The fake helm every run uses (its releases and record survive between runs). */
    static FakeHelm helm() {
        return FakeHelm.in(dir.resolve("helm-bin"));
    }

    static Cli.Result infra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2",
                "--helm", helm().binary().toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    static List<Vpc> vpcs(AwsClients aws) {
        return aws.ec2().describeVpcs(b -> b.filters(Filter.builder().name("tag:infra:stack").values(STACK).build())).vpcs();
    }

    static List<LoadBalancer> albs(AwsClients aws) {
        return aws.client(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder).describeLoadBalancers()
                .loadBalancers().stream().filter(lb -> lb.loadBalancerName().startsWith(STACK + "-")).toList();
    }

    static TableDescription table(AwsClients aws) {
        return aws.client(DynamoDbClient.class, DynamoDbClient::builder).describeTable(b -> b.tableName(STACK + "-orders")).table();
    }

    static List<ResourceRecordSet> wwwRecords() {
        Route53Client r53 = primary.route53();
        HostedZone zone = r53.listHostedZones().hostedZones().stream()
                .filter(z -> z.name().equals("globe.example.com.")).findFirst().orElseThrow();
        return r53.listResourceRecordSets(b -> b.hostedZoneId(zone.id())).resourceRecordSets().stream()
                .filter(r -> r.name().equals("www.globe.example.com.")).toList();
    }

    static List<HealthCheck> healthChecks() {
        Route53Client r53 = primary.route53();
        return r53.listHealthChecks().healthChecks().stream().filter(h -> r53.listTagsForResource(b -> b
                .resourceType("healthcheck").resourceId(h.id())).resourceTagSet().tags().stream()
                .anyMatch(t -> t.key().equals("infra:stack") && t.value().equals(STACK))).toList();
    }

    static List<Role> roles() {
        return primary.client(IamClient.class, IamClient::builder).listRoles().roles().stream()
                .filter(r -> r.roleName().startsWith(STACK + "-")).toList();
    }

    @Test
    @Order(1)
    void applyThePrimary() {
        Cli.Result r = infra("apply", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(wwwRecords()).singleElement().satisfies(rec -> assertThat(rec.setIdentifier()).isNull());
    }

    @Test
    @Order(2)
    void replicateShowsTheRewriteAndBuildsTheReplica() {
        int rolesBefore = roles().size();
        Cli.Result r = infra("replicate", "--to", REPLICA, "--auto-approve", "--stats");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out())
                .contains("How " + REPLICA + " replicates " + PRIMARY)
                .containsPattern("table\\.orders\\s+linked\\s+1\\s+table\\.orders: replica of the global table")
                .containsPattern("bucket\\.static\\s+renamed\\s+1\\s+" + named("globe-static-" + PRIMARY) + " → " + named("globe-static-" + REPLICA))
                .containsPattern("encryption\\s+linked\\s+1\\s+encryption/key: replica of the multi-Region key")
                .containsPattern("cluster\\.apps\\s+shared\\s+3")
                .contains("── " + PRIMARY + " (primary) ──").contains("── " + REPLICA + " (replica of " + PRIMARY + ") ──")
                .contains("+ roleArn: (arn of cluster.apps/cluster-role in " + PRIMARY + ")");
        // IAM is global: the replica reuses the primary's roles; only the bucket's replication role is new.
        assertThat(roles()).hasSize(rolesBefore + 1);
        // S3 may assume it for the primary's bucket only (read back from IAM).
        String trust = java.net.URLDecoder.decode(primary.client(IamClient.class, IamClient::builder)
                .getRole(b -> b.roleName(STACK + "-static-replication-" + PRIMARY)).role().assumeRolePolicyDocument(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(trust).contains("\"aws:SourceArn\":\"arn:aws:s3:::" + named(STACK + "-static-" + PRIMARY) + "\"");
    }

    @Test
    @Order(3)
    void networksDoNotOverlapAndEachRegionHasItsAlbsBehindItsWaf() {
        String primaryCidr = vpcs(primary).get(0).cidrBlock();
        assertThat(vpcs(replica)).singleElement().satisfies(v -> {
            assertThat(v.cidrBlock()).isNotEqualTo(primaryCidr);
            assertThat(Cidrs.overlaps(Cidrs.parse(v.cidrBlock()).orElseThrow(), Cidrs.parse(primaryCidr).orElseThrow())).isFalse();
        });
        for (AwsClients aws : List.of(primary, replica)) {
            List<LoadBalancer> lbs = albs(aws);
            assertThat(lbs).hasSize(2).allSatisfy(lb -> assertThat(lb.loadBalancerArn()).contains(":" + aws.region() + ":"));
            Wafv2Client waf = aws.wafv2();
            for (LoadBalancer lb : lbs) {
                assertThat(waf.getWebACLForResource(b -> b.resourceArn(lb.loadBalancerArn())).webACL().arn())
                        .contains(":" + aws.region() + ":");
            }
            // Certificates are regional: each region's public ALB serves HTTPS with a certificate issued there.
            LoadBalancer publicLb = lbs.stream().filter(lb -> lb.schemeAsString().equals("internet-facing")).findFirst().orElseThrow();
            String certificate = aws.elbv2().describeListeners(b -> b.loadBalancerArn(publicLb.loadBalancerArn())).listeners()
                    .stream().filter(l -> l.port() == 443).findFirst().orElseThrow().certificates().get(0).certificateArn();
            assertThat(certificate).contains(":acm:" + aws.region() + ":");
            assertThat(aws.client(AcmClient.class, AcmClient::builder).describeCertificate(b -> b.certificateArn(certificate))
                    .certificate().statusAsString()).isEqualTo("ISSUED");
        }
    }

    /** Each region's cluster gets a Cilium and an ingress of its own, installed through that region's endpoint. */
    @Test
    @Order(3)
    void eachRegionsClusterHasItsOwnReleases() {
        for (AwsClients aws : List.of(primary, replica)) {
            String endpoint = aws.eks().describeCluster(b -> b.name(STACK + "-apps")).cluster().endpoint();
            // The fake keys releases by host name, which is case-insensitive (it keeps it lower-case).
            String host = java.net.URI.create(endpoint).getHost().toLowerCase(java.util.Locale.ROOT);
            assertThat(host).contains("." + aws.region() + ".");
            assertThat(helm().releases()).contains(host + "/kube-system/cilium", host + "/ingress-nginx/ingress-nginx");
            assertThat(helm().calls("upgrade")).filteredOn(c -> c.server().equals(endpoint))
                    .allSatisfy(c -> assertThat(c.token().path("ok").asBoolean()).isTrue())
                    .extracting(FakeHelm.Call::release).containsExactly("cilium", "ingress-nginx");
        }
    }

    @Test
    @Order(4)
    void theTableIsGlobalTheBucketReplicatedAndTheKeyAReplica() {
        assertThat(table(primary).replicas()).extracting(ReplicaDescription::regionName).containsExactly(REPLICA);
        assertThat(table(replica).tableArn()).contains(":" + REPLICA + ":");
        // Point-in-time recovery is per replica: on, as the primary's, read in the replica's region.
        assertThat(replica.client(DynamoDbClient.class, DynamoDbClient::builder).describeContinuousBackups(
                b -> b.tableName(table(replica).tableName())).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("ENABLED");
        // So is deletion protection, as the primary's.
        assertThat(table(replica).deletionProtectionEnabled()).isTrue();
        assertThat(table(primary).deletionProtectionEnabled()).isTrue();
        // The AUTH secret's replica: the primary's value, under the replica region's key.
        assertThat(authSecretIn(replica).primaryRegion()).isEqualTo(PRIMARY);
        assertThat(authSecretIn(replica).kmsKeyId()).isEqualTo(replica.client(KmsClient.class, KmsClient::builder)
                .describeKey(b -> b.keyId("alias/infra-" + STACK)).keyMetadata().arn());

        List<ReplicationRule> rules = primary.s3().getBucketReplication(b -> b.bucket(named(STACK + "-static-" + PRIMARY)))
                .replicationConfiguration().rules();
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.id()).isEqualTo("infra-" + REPLICA);
            assertThat(rule.destination().bucket()).isEqualTo("arn:aws:s3:::" + named(STACK + "-static-" + REPLICA));
        });
        S3Client s3 = replica.s3();
        assertThat(s3.getBucketVersioning(b -> b.bucket(named(STACK + "-static-" + REPLICA))).statusAsString()).isEqualTo("Enabled");

        KmsClient kms = replica.client(KmsClient.class, KmsClient::builder);
        KeyMetadata replicaKey = kms.describeKey(b -> b.keyId("alias/infra-" + STACK)).keyMetadata();
        assertThat(replicaKey.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.REPLICA);
        assertThat(replicaKey.multiRegionConfiguration().primaryKey().region()).isEqualTo(PRIMARY);
        assertThat(table(replica).sseDescription().kmsMasterKeyArn()).isEqualTo(replicaKey.arn());

        // The cache is a Global Datastore: the primary's group and the replica's secondary.
        assertThat(globalDatastore().members()).extracting(m -> m.replicationGroupRegion() + " " + m.role())
                .containsExactlyInAnyOrder(PRIMARY + " PRIMARY", REPLICA + " SECONDARY");
    }

    /** The cache's AUTH secret as a client of {@code aws}'s region reads it (the replica region: its replica). */
    static DescribeSecretResponse authSecretIn(AwsClients aws) {
        SecretsManagerClient sm = aws.client(SecretsManagerClient.class, SecretsManagerClient::builder);
        String name = primary.client(SecretsManagerClient.class, SecretsManagerClient::builder).listSecrets().secretList()
                .stream().filter(sec -> sec.name().contains("auth"))
                .filter(sec -> sec.tags().stream().anyMatch(t -> t.key().equals("infra:stack")
                        && t.value().equals(STACK))).findFirst().orElseThrow().name();
        return sm.describeSecret(b -> b.secretId(name));
    }

    static GlobalReplicationGroup globalDatastore() {
        return primary.client(ElastiCacheClient.class, ElastiCacheClient::builder)
                .describeGlobalReplicationGroups(b -> b.showMemberInfo(true)).globalReplicationGroups().stream()
                .filter(g -> g.globalReplicationGroupId().endsWith(STACK + "-sessions")).findFirst().orElseThrow();
    }

    /**
     * Each region's logs land in that region's archive, and that region's Glue tables read it and say the region; the
     * replica's Firehose streams write with the primary's role (IAM is global), which names both archives.
     */
    @Test
    @Order(4)
    void eachRegionsLogsLandInItsOwnArchive() {
        for (var region : List.of(java.util.Map.entry(PRIMARY, primary), java.util.Map.entry(REPLICA, replica))) {
            AwsClients aws = region.getValue();
            String archive = named(STACK + "-logs-" + region.getKey());
            String vpc = vpcs(aws).get(0).vpcId();
            assertThat(aws.ec2().describeFlowLogs(b -> b.filter(Filter.builder().name("resource-id").values(vpc).build()))
                    .flowLogs()).singleElement().satisfies(f -> assertThat(f.logDestination())
                    .isEqualTo("arn:aws:s3:::" + archive + "/vpc-flow-logs/"));
            var glue = aws.client(software.amazon.awssdk.services.glue.GlueClient.class,
                    software.amazon.awssdk.services.glue.GlueClient::builder);
            var table = glue.getTable(b -> b.databaseName(STACK + "_logs").name("vpc_flow")).table();
            assertThat(table.storageDescriptor().location()).startsWith("s3://" + archive + "/vpc-flow-logs/AWSLogs/")
                    .endsWith("/vpcflowlogs/" + region.getKey() + "/");
            assertThat(table.parameters()).containsEntry("infra.region", region.getKey());
            var firehose = aws.client(software.amazon.awssdk.services.firehose.FirehoseClient.class,
                    software.amazon.awssdk.services.firehose.FirehoseClient::builder);
            var s3 = firehose.describeDeliveryStream(b -> b.deliveryStreamName(STACK + "-logs-applications"))
                    .deliveryStreamDescription().destinations().get(0).extendedS3DestinationDescription();
            assertThat(s3.bucketARN()).isEqualTo("arn:aws:s3:::" + archive);
            assertThat(s3.roleARN()).endsWith("/" + STACK + "-logs-firehose");
        }
        String policy = primary.client(IamClient.class, IamClient::builder).getRolePolicy(b -> b
                .roleName(STACK + "-logs-firehose").policyName("infra")).policyDocument();
        assertThat(java.net.URLDecoder.decode(policy, java.nio.charset.StandardCharsets.UTF_8))
                .contains(named(STACK + "-logs-" + PRIMARY), named(STACK + "-logs-" + REPLICA));
    }

    @Test
    @Order(5)
    void theSharedZoneRoutesByFailoverWithHealthChecks() {
        Map<String, ResourceRecordSet> bySetId = wwwRecords().stream()
                .collect(Collectors.toMap(ResourceRecordSet::setIdentifier, r -> r));
        assertThat(bySetId).containsOnlyKeys(PRIMARY, REPLICA);
        assertThat(bySetId.get(PRIMARY).failoverAsString()).isEqualTo("PRIMARY");
        assertThat(bySetId.get(REPLICA).failoverAsString()).isEqualTo("SECONDARY");
        List<HealthCheck> checks = healthChecks();
        assertThat(checks).hasSize(2).allSatisfy(h -> assertThat(h.healthCheckConfig().typeAsString()).isEqualTo("HTTPS"));
        assertThat(bySetId.values()).extracting(ResourceRecordSet::healthCheckId)
                .containsExactlyInAnyOrderElementsOf(checks.stream().map(HealthCheck::id).toList());
        assertThat(checks).extracting(h -> h.healthCheckConfig().fullyQualifiedDomainName())
                .containsExactlyInAnyOrderElementsOf(List.of(albs(primary).stream().filter(lb -> lb.schemeAsString()
                        .equals("internet-facing")).findFirst().orElseThrow().dnsName(), albs(replica).stream()
                        .filter(lb -> lb.schemeAsString().equals("internet-facing")).findFirst().orElseThrow().dnsName()));
        // One public zone for the stack, not one per region.
        assertThat(primary.route53().listHostedZones().hostedZones()).filteredOn(z -> z.name().equals("globe.example.com."))
                .hasSize(1);
    }

    @Test
    @Order(6)
    void aPlanCoversBothRegionsAndHasNoChanges() throws IOException {
        Cli.Result r = infra("plan", "--detailed-exitcode", "--stats");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("── " + PRIMARY + " (primary) ──").contains("── " + REPLICA + " (replica of " + PRIMARY + ") ──");
        assertThat(r.out().split("No changes.", -1)).hasSize(3);

        // Replicating again to a replica in sync changes nothing, not even the states' serials.
        String primaryState = Files.readString(dir.resolve(".infra/" + STACK + "." + PRIMARY + ".json"));
        String replicaState = Files.readString(dir.resolve(".infra/" + STACK + "." + REPLICA + ".json"));
        Cli.Result again = infra("replicate", "--to", REPLICA, "--auto-approve");
        assertThat(again.exit()).as(again.toString()).isEqualTo(0);
        assertThat(again.out()).contains("No changes in " + PRIMARY + " and " + REPLICA + ".");
        assertThat(Files.readString(dir.resolve(".infra/" + STACK + "." + PRIMARY + ".json"))).isEqualTo(primaryState);
        assertThat(Files.readString(dir.resolve(".infra/" + STACK + "." + REPLICA + ".json"))).isEqualTo(replicaState);
    }

    @Test
    @Order(7)
    void aSavedPlanCoversBothRegionsAndIsAppliedOnce() throws IOException {
        Files.writeString(dir.resolve("infra.yaml"), topology.replace("owner: platform", "owner: payments"));
        Cli.Result plan = infra("plan", "-o", dir.resolve("both.json").toString());
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        assertThat(Files.readString(dir.resolve("both.json"))).startsWith("[")
                .contains("\"region\" : \"" + PRIMARY + "\"").contains("\"region\" : \"" + REPLICA + "\"");

        Cli.Result apply = infra("apply", dir.resolve("both.json").toString());
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);
        assertThat(apply.out()).contains(PRIMARY + ": Apply complete!").contains(REPLICA + ": Apply complete!");
        for (AwsClients aws : List.of(primary, replica)) {
            assertThat(vpcs(aws).get(0).tags()).anySatisfy(tag -> {
                assertThat(tag.key()).isEqualTo("owner");
                assertThat(tag.value()).isEqualTo("payments");
            });
        }
        Cli.Result again = infra("apply", dir.resolve("both.json").toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("both.json: error: is stale: the state changed since it was made");
        Cli.Result oneRegion = infra("apply", dir.resolve("both.json").toString(), "--region", REPLICA);
        assertThat(oneRegion.err()).contains("holds the plans of 2 regions: apply it without --region");
    }

    @Test
    @Order(8)
    void destroyingTheReplicaUnlinksItAndLeavesThePrimaryWhole() throws IOException {
        int primaryVpcs = vpcs(primary).size();
        // The replica's table is protected as the primary's is: nothing of the region goes while it is.
        Cli.Result refused = infra("destroy", "--region", REPLICA, "--auto-approve", "--force-delete-data");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("table.orders: error: deletion protection is on (deletionProtection)");
        assertThat(vpcs(replica)).hasSize(1);
        assertThat(table(primary).replicas()).extracting(ReplicaDescription::regionName).containsExactly(REPLICA);
        Files.writeString(dir.resolve("infra.yaml"), topology.replace("owner: platform", "owner: payments")
                .replace("deletionProtection: true", "deletionProtection: false"));
        Cli.Result unprotect = infra("apply", "--auto-approve");
        assertThat(unprotect.exit()).as(unprotect.toString()).isEqualTo(0);
        assertThat(table(replica).deletionProtectionEnabled()).isFalse();

        Cli.Result r = infra("destroy", "--region", REPLICA, "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);

        assertThat(vpcs(replica)).isEmpty();
        assertThat(albs(replica)).isEmpty();
        assertThat(vpcs(primary)).hasSize(primaryVpcs);
        assertThat(albs(primary)).hasSize(2);
        assertThat(table(primary).replicas()).isEmpty();
        assertThat(primary.s3().getBucketVersioning(b -> b.bucket(named(STACK + "-static-" + PRIMARY))).statusAsString()).isEqualTo("Enabled");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() ->
                primary.s3().getBucketReplication(b -> b.bucket(named(STACK + "-static-" + PRIMARY))))).isNotNull();
        assertThat(wwwRecords()).singleElement().satisfies(rec -> assertThat(rec.setIdentifier()).isEqualTo(PRIMARY));
        KeyMetadata key = primary.client(KmsClient.class, KmsClient::builder)
                .describeKey(b -> b.keyId("alias/infra-" + STACK)).keyMetadata();
        assertThat(key.keyStateAsString()).isEqualTo("Enabled");
        assertThat(globalDatastore().members()).extracting(m -> m.replicationGroupRegion() + " " + m.role())
                .containsExactly(PRIMARY + " PRIMARY");
        assertThat(authSecretIn(primary).replicationStatus()).isEmpty();

        // The primary no longer has a replica: its next plan goes back to single-region records.
        Cli.Result plan = infra("plan");
        // Only the snapshot role still names the replica: its policy drops the replica's archive bucket.
        assertThat(plan.out()).as(plan.toString()).contains("dns/record.www");
        assertThat(plan.out().lines().filter(l -> l.contains(REPLICA)).toList()).as(plan.toString())
                .allMatch(l -> l.contains("inlinePolicy"));
    }

    /**
     * Replicating to the region again, days before its old replica key's deletion window ends: KMS allows no second
     * replica there (the emulator refuses it too), so the one pending deletion is taken back, enabled and used again;
     * the table, bucket and Global Datastore link again; the stack then plans clean in both regions.
     */
    @Test
    @Order(9)
    void replicatingAgainAfterTheReplicaWasDestroyedTakesBackItsKey() {
        KmsClient kms = replica.client(KmsClient.class, KmsClient::builder);
        String keyId = kms.listKeys().keys().stream().map(k -> kms.describeKey(b -> b.keyId(k.keyId())).keyMetadata())
                .filter(md -> md.multiRegionConfiguration() != null
                        && md.multiRegionConfiguration().multiRegionKeyType() == MultiRegionKeyType.REPLICA
                        && md.multiRegionConfiguration().primaryKey().region().equals(PRIMARY))
                .filter(md -> md.keyStateAsString().equals("PendingDeletion")).findFirst().orElseThrow().keyId();

        Cli.Result r = infra("replicate", "--to", REPLICA, "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);

        KeyMetadata back = kms.describeKey(b -> b.keyId("alias/infra-" + STACK)).keyMetadata();
        assertThat(back.keyId()).isEqualTo(keyId);
        assertThat(back.keyStateAsString()).isEqualTo("Enabled");
        assertThat(table(replica).sseDescription().kmsMasterKeyArn()).isEqualTo(back.arn());
        assertThat(table(primary).replicas()).extracting(ReplicaDescription::regionName).containsExactly(REPLICA);
        assertThat(globalDatastore().members()).extracting(m -> m.replicationGroupRegion() + " " + m.role())
                .containsExactlyInAnyOrder(PRIMARY + " PRIMARY", REPLICA + " SECONDARY");
        assertThat(authSecretIn(replica).primaryRegion()).isEqualTo(PRIMARY);
        assertThat(authSecretIn(replica).kmsKeyId()).isEqualTo(back.arn());
        Cli.Result plan = infra("plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
    }

    @Test
    @Order(10)
    void destroyTheRest() {
        Cli.Result r = infra("destroy", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(vpcs(primary)).isEmpty();
        assertThat(healthChecks()).isEmpty();
        assertThat(helm().releases()).isEmpty();
        for (AwsClients aws : List.of(primary, replica)) {
            assertThat(aws.client(SecretsManagerClient.class, SecretsManagerClient::builder).listSecrets().secretList())
                    .noneSatisfy(sec -> assertThat(sec.name()).contains(STACK));
            assertThat(aws.client(DynamoDbClient.class, DynamoDbClient::builder).listTables().tableNames())
                    .doesNotContain(STACK + "-orders");
            assertThat(vpcs(aws)).isEmpty();
        }
    }
}
