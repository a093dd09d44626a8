package dev.infra.core.expand;

import static dev.infra.core.testing.Fixtures.invalid;
import static dev.infra.core.testing.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Values;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.topology.Cidrs;
import dev.infra.core.topology.Data;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How the seed expands across regions: the primary once it has a replica, and the replica itself (links where AWS
 * replicates, the primary's IAM and zone reused, its own network in another block).
 */
class ReplicationTest {

    static final Topology SEED = TopologyLoader.load(Path.of("../samples/seed-architecture.yaml")).topology();
    static final List<String> REPLICAS = List.of("eu-west-2");

    static Map<String, ResourceSpec> byAddress(Topology t) {
        return Expander.expand(t).stream().collect(Collectors.toMap(ResourceSpec::address, Function.identity()));
    }

    /**
     * Derived global names end with the stack's suffix (from its state), in the primary and in its replicas, so that two
     * accounts' stacks of one name do not collide; a given name is used as given.
     */
    @Test
    void derivedBucketNamesCarryTheStacksSuffixGivenOnesDoNot() {
        Topology named = SEED.withReplicas(REPLICAS).named("a1b2c3");
        Map<String, ResourceSpec> primary = byAddress(named);
        assertThat(primary.get("bucket.audit").attributes()).containsEntry("bucket", "shop-audit-us-east-1-a1b2c3");
        assertThat(primary.get("firewall/log-bucket").attributes())
                .containsEntry("bucket", "aws-waf-logs-shop-us-east-1-a1b2c3");
        assertThat((String) primary.get("bucket.static/replication-role").attributes().get("inlinePolicy"))
                .contains("arn:aws:s3:::shop-static-eu-west-2-a1b2c3/*");
        // S3 may assume the replication role for the source bucket only.
        assertThat((String) primary.get("bucket.static/replication-role").attributes().get("assumeRolePolicy"))
                .contains("\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::shop-static-us-east-1-a1b2c3\"}}");
        Map<String, ResourceSpec> replica = byAddress(named.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b", "c"),
                REPLICAS));
        assertThat(replica.get("bucket.static").attributes()).containsEntry("bucket", "shop-static-eu-west-2-a1b2c3");
        assertThat(new Data.Bucket("logs", "acme-logs", true, false, List.of(), false, null)
                .s3Name("shop", "us-east-1", "us-east-1", named.placement())).isEqualTo("acme-logs");
    }

    @Test
    void aSingleRegionStackIsUnchangedByTheMultiRegionSettings() {
        Map<String, ResourceSpec> specs = byAddress(SEED);
        assertThat(specs).hasSize(139).doesNotContainKeys("bucket.static/replication-role", "dns/health-check.www",
                "cache.sessions/global");
        assertThat(specs.get("dns/record.www").attributes()).doesNotContainKeys("setIdentifier", "failover");
    }

    @Test
    void thePrimaryOfAReplicatedStackRoutesByFailoverAndOwnsTheReplicationRole() {
        Map<String, ResourceSpec> specs = byAddress(SEED.withReplicas(REPLICAS));
        assertThat(specs.get("dns/record.www").attributes()).containsEntry("setIdentifier", "us-east-1")
                .containsEntry("failover", "PRIMARY").containsEntry("healthCheckId", Ref.id("dns/health-check.www"));
        assertThat(specs.get("dns/health-check.www").attributes()).containsEntry("type", "HTTP").containsEntry("resourcePath", "/healthz");
        assertThat((String) specs.get("bucket.static/replication-role").attributes().get("inlinePolicy"))
                .contains("arn:aws:s3:::shop-static-eu-west-2/*").contains("arn:aws:s3:::shop-static-us-east-1");
        assertThat(specs.get("cache.sessions/global").attributes())
                .containsEntry("primaryReplicationGroupId", Ref.id("cache.sessions/replication-group"));
        // The private record stays simple: each region has its own private zone.
        assertThat(specs.get("dns/private-record.api").attributes()).doesNotContainKey("setIdentifier");
    }

    @Test
    void aReplicaLinksToThePrimaryAndReusesWhatIsGlobal() {
        Topology replica = SEED.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b", "c"), REPLICAS);
        Map<String, ResourceSpec> specs = byAddress(replica);

        assertThat(specs.values()).extracting(ResourceSpec::type)
                .doesNotContain("aws_iam_role", "aws_iam_instance_profile", "aws_dynamodb_table", "aws_cloudtrail_trail");
        assertThat(specs).doesNotContainKey("dns/zone");
        assertThat(specs.get("table.orders").type()).isEqualTo("aws_dynamodb_table_replica");
        assertThat(specs.get("table.orders").attributes()).containsEntry("sourceRegion", "us-east-1")
                .containsEntry("tableName", "shop-orders");
        assertThat(specs.get("encryption/key").type()).isEqualTo("aws_kms_replica_key");
        assertThat(specs.get("encryption/key").attributes()).containsEntry("primaryKeyArn", Ref.in("us-east-1", "encryption/key", "arn"));
        assertThat(specs.get("bucket.static").attributes()).containsEntry("bucket", "shop-static-eu-west-2").containsEntry("versioning", true);
        assertThat(specs.get("bucket.static/replication").attributes())
                .containsEntry("bucket", Ref.in("us-east-1", "bucket.static", "bucket"))
                .containsEntry("roleArn", Ref.in("us-east-1", "bucket.static/replication-role", "arn"))
                .containsEntry("ruleId", "infra-eu-west-2")
                .containsEntry("replicaKmsKeyArn", Ref.to("encryption/key", "arn"));
        assertThat(specs.get("dns/record.www").attributes()).containsEntry("zoneId", Ref.in("us-east-1", "dns/zone", "id"))
                .containsEntry("failover", "SECONDARY").containsEntry("setIdentifier", "eu-west-2");
        // The secondary uses the primary's AUTH token: its region gets a replica of that secret, under its own key.
        assertThat(specs.get("cache.sessions/auth-token").type()).isEqualTo("aws_secretsmanager_secret_replica");
        assertThat(specs.get("cache.sessions/auth-token").attributes())
                .containsEntry("secretArn", Ref.in("us-east-1", "cache.sessions/auth-token", "arn"))
                .containsEntry("kmsKeyId", Ref.to("encryption/key", "arn"));
        assertThat(specs.get("cache.sessions/replication-group").attributes())
                .containsEntry("globalReplicationGroupId", Ref.in("us-east-1", "cache.sessions/global", "globalReplicationGroupId"))
                .doesNotContainKey("authTokenSecretArn");
        assertThat(specs.get("cluster.apps/cluster").attributes())
                .containsEntry("roleArn", Ref.in("us-east-1", "cluster.apps/cluster-role", "arn"));
        // A ref to the primary is no graph edge: the graphs are per region.
        assertThat(specs.get("cluster.apps/cluster").dependencies()).doesNotContain("cluster.apps/cluster-role");
        assertThat(specs.get("network/vpc").attributes()).containsEntry("cidrBlock", "10.1.0.0/16");
        assertThat(specs.get("network/subnet.private-a").attributes().get("cidrBlock"))
                .isEqualTo(Cidrs.moved((String) byAddress(SEED).get("network/subnet.private-a").attributes().get("cidrBlock"),
                        "10.0.0.0/16", "10.1.0.0/16"));
        // Account-wide types say which region owns them; regional ones need not.
        assertThat(specs.get("bucket.static").tags()).containsEntry(LiveResource.REGION_TAG, "eu-west-2");
        assertThat(specs.get("network/vpc").tags()).doesNotContainKey(LiveResource.REGION_TAG);
        assertThat(specs.values().stream().flatMap(s -> Values.refs(s.attributes()).stream()).filter(r -> !r.local()))
                .allSatisfy(r -> assertThat(r.region()).isEqualTo("us-east-1"));
    }

    @Test
    void latencyRoutingGivesEachRegionARecordForItsRegion(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("infra.yaml");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(Path.of("../samples/seed-architecture.yaml"))
                .replace("routing: failover", "routing: latency"));
        Topology seed = TopologyLoader.load(file).topology();
        Map<String, Object> primary = byAddress(seed.withReplicas(REPLICAS)).get("dns/record.www").attributes();
        Map<String, Object> replica = byAddress(seed.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b", "c"), REPLICAS))
                .get("dns/record.www").attributes();
        assertThat(primary).containsEntry("region", "us-east-1").containsEntry("setIdentifier", "us-east-1")
                .doesNotContainKey("failover");
        assertThat(replica).containsEntry("region", "eu-west-2").containsEntry("setIdentifier", "eu-west-2")
                .doesNotContainKey("failover").containsKey("healthCheckId");
    }

    @Test
    void zonesAreRemappedByPositionAndWhatNamesAZoneFollows() {
        // grafana sits in zone b, the network's second; in a region whose second zone is c, it sits in c.
        Map<String, ResourceSpec> specs = byAddress(SEED.asReplica("ap-northeast-1", "10.1.0.0/16", List.of("a", "c", "d"), List.of("ap-northeast-1")));
        assertThat(specs).containsKeys("network/subnet.private-c", "network/subnet.private-d").doesNotContainKey("network/subnet.private-b");
        assertThat(specs.get("service.grafana/data").attributes()).containsEntry("availabilityZone", "ap-northeast-1c");
        assertThat(specs.get("service.vault/data").attributes()).containsEntry("availabilityZone", "ap-northeast-1d");
    }

    @Test
    void aCopyInAnotherRegionUsesItsRegionSettings() {
        Topology copy = SEED.inRegion("eu-west-1");
        assertThat(copy.network().cidr()).isEqualTo("10.1.0.0/16");
        assertThat(copy.replica()).isFalse();
        assertThat(byAddress(copy)).containsKey("dns/zone").containsKey("cluster.apps/cluster-role");
        // Its multi-region trail shows in every region, as the file region's does: a name of its own, and the trail
        // bucket's policy names that trail.
        assertThat(byAddress(SEED).get("monitoring/trail").attributes()).containsEntry("name", "shop-trail");
        assertThat(byAddress(copy).get("monitoring/trail").attributes()).containsEntry("name", "shop-trail-eu-west-1")
                .containsEntry("isMultiRegionTrail", true);
        assertThat(byAddress(copy).values().stream().filter(s -> s.type().equals("aws_s3_bucket_policy")
                || s.attributes().containsKey("policy")).map(s -> String.valueOf(s.attributes().get("policy"))))
                .anyMatch(p -> p.contains("trail/shop-trail-eu-west-1")).noneMatch(p -> p.contains("trail/shop-trail\""));
    }

    @Test
    void freeBlocksAvoidEveryOtherRegion() {
        assertThat(Cidrs.firstFree("10.0.0.0/16", List.of("10.0.0.0/16", "10.1.0.0/16"))).contains("10.2.0.0/16");
        assertThat(Cidrs.firstFree("172.16.0.0/16", List.of("172.16.0.0/16"))).contains("172.17.0.0/16");
        assertThat(Cidrs.firstFree("10.0.0.0/8", List.of("10.0.0.0/8"))).isEmpty();
        assertThat(Cidrs.firstFree("10.40.0.0/16", List.of("10.40.0.0/16", "10.41.0.0/16"))).contains("10.42.0.0/16");
        assertThat(Cidrs.firstFree("10.255.0.0/16", List.of("10.255.0.0/16", "10.0.0.0/16"))).contains("10.1.0.0/16");
        assertThat(Cidrs.moved("10.0.32.0/20", "10.0.0.0/16", "10.5.0.0/16")).isEqualTo("10.5.32.0/20");
    }

    @Test
    void badRegionSettingsAreReportedAtTheirLine() {
        String file = dev.infra.core.testing.Fixtures.topologyFile("invalid-regions").toString();
        assertThat(rendered(invalid("invalid-regions"))).containsExactly(
                file + ":14:24: error: buckets.static.versioning: a replicated bucket needs versioning (S3 replication"
                        + " copies object versions): remove 'versioning: false' or 'replicate: true'",
                file + ":16:3: error: regions.us-east-1: this is the topology's own region: set its values at the top level",
                file + ":19:21: error: regions.eu-west-1.network.cidr: must be a /16 like network.cidr 10.0.0.0/16, so the"
                        + " subnets keep their layout",
                file + ":19:41: error: regions.eu-west-1.network.zones: lists 2 zones; network.zones has 3 and the"
                        + " subnets are laid out per zone",
                file + ":21:7: error: regions.eu-west-1.certificates.pubilc: no load balancer named 'pubilc'; did you"
                        + " mean 'public'?",
                file + ":21:15: error: regions.eu-west-1.certificates.pubilc: the certificate is in us-east-1, not"
                        + " eu-west-1: ACM certificates are regional");
    }
}
