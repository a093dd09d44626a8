package dev.infra.core.expand;

import static dev.infra.core.testing.Fixtures.expanded;
import static dev.infra.core.testing.Fixtures.small;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.HeldData;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables, buckets, caches and services for small topologies: a network in two zones and the stack key. */
class DataExpanderTest {

    static final Ref KEY = Ref.to("encryption/key", "arn");

    @TempDir
    Path dir;

    private Topology topology(String yaml) {
        return small(dir, yaml);
    }

    private Map<String, ResourceSpec> expand(String yaml) {
        return expanded(topology(yaml));
    }

    @Test
    void aTableIsEncryptedWithTheStackKeyAndProtected() {
        Map<String, ResourceSpec> specs = expand("""
                tables:
                  orders:
                    partitionKey: {name: id, type: S}
                    sortKey: {name: at, type: N}
                    indexes:
                      by-status: {partitionKey: {name: status, type: S}}
                      by-customer: {partitionKey: {name: customer, type: S}, sortKey: {name: at, type: N}}
                    ttl: expiresAt
                  counters:
                    partitionKey: {name: id, type: S}
                    billing: provisioned
                    capacity: {read: 5, write: 2}
                    pointInTimeRecovery: false
                    deletionProtection: false
                """);
        ResourceSpec orders = specs.get("table.orders");
        assertThat(orders.type()).isEqualTo("aws_dynamodb_table");
        assertThat(orders.attributes()).containsEntry("name", "shop-orders")
                .containsEntry("partitionKey", Map.of("name", "id", "type", "S"))
                .containsEntry("sortKey", Map.of("name", "at", "type", "N"))
                .containsEntry("billingMode", "PAY_PER_REQUEST").containsEntry("ttlAttribute", "expiresAt")
                .containsEntry("pointInTimeRecovery", true).containsEntry("deletionProtection", true)
                .containsEntry("kmsKeyArn", KEY).doesNotContainKeys("readCapacity", "writeCapacity");
        // Sorted by name, each projecting everything.
        assertThat(orders.attributes().get("globalSecondaryIndexes")).isEqualTo(List.of(
                Map.of("name", "by-customer", "partitionKey", Map.of("name", "customer", "type", "S"),
                        "sortKey", Map.of("name", "at", "type", "N"), "projection", "ALL"),
                Map.of("name", "by-status", "partitionKey", Map.of("name", "status", "type", "S"), "projection", "ALL")));
        assertThat(specs.get("table.counters").attributes()).containsEntry("billingMode", "PROVISIONED")
                .containsEntry("readCapacity", 5L).containsEntry("writeCapacity", 2L)
                .containsEntry("pointInTimeRecovery", false).containsEntry("deletionProtection", false)
                .doesNotContainKeys("sortKey", "ttlAttribute");
    }

    @Test
    void aBucketIsEncryptedClosedAndKeepsItsHousekeepingRule() {
        Map<String, ResourceSpec> specs = expand("""
                buckets:
                  assets:
                    lifecycle:
                      - {id: old, prefix: tmp/, expirationDays: 30}
                  logs: {name: acme-logs, versioning: false, forceDestroy: true}
                """);
        ResourceSpec assets = specs.get("bucket.assets");
        assertThat(assets.type()).isEqualTo("aws_s3_bucket");
        assertThat((String) assets.attributes().get("bucket")).startsWith("shop-assets-us-east-1");
        assertThat(assets.attributes()).containsEntry("kmsKeyArn", KEY).containsEntry("versioning", true)
                .containsEntry("blockPublicAccess", true).containsEntry(HeldData.FORCE_DESTROY, false)
                .doesNotContainKey("policy");
        // Rules sorted by id: infra's own first here.
        assertThat(assets.attributes().get("lifecycleRules")).isEqualTo(List.of(DataExpander.housekeeping(true),
                Map.of("id", "old", "prefix", "tmp/", "expirationDays", 30L)));
        assertThat(specs.get("bucket.logs").attributes()).containsEntry("bucket", "acme-logs")
                .containsEntry("versioning", false).containsEntry(HeldData.FORCE_DESTROY, true)
                .containsEntry("lifecycleRules", List.of(DataExpander.housekeeping(false)));
        assertThat(specs).doesNotContainKeys("bucket.assets/replication-role", "bucket.assets/replication");
    }

    static final String CACHE = """
            clusters:
              apps:
                nodeGroups: {general: {min: 1, max: 2}}
            caches:
              sessions: {nodeType: cache.r7g.large, replicas: 1, clientsFrom: [clusters.apps], global: true}
            """;

    @Test
    void aCacheIsReachedFromItsClustersNodesOnlyWithAGeneratedToken() {
        Map<String, ResourceSpec> specs = expand(CACHE);
        assertThat(specs.keySet()).filteredOn(a -> a.startsWith("cache.sessions")).containsExactlyInAnyOrder(
                "cache.sessions/security-group",
                "cache.sessions/security-group/rule.ingress-tcp-6379-sg-apps-cluster",
                "cache.sessions/subnet-group", "cache.sessions/auth-token", "cache.sessions/replication-group");
        Ref sg = Ref.id("cache.sessions/security-group");
        assertThat(specs.get("cache.sessions/security-group/rule.ingress-tcp-6379-sg-apps-cluster").attributes())
                .containsEntry("securityGroupId", sg).containsEntry("fromPort", 6379L)
                .containsEntry("referencedGroupId", Ref.to("cluster.apps/cluster", "clusterSecurityGroupId"));
        assertThat(specs.get("cache.sessions/subnet-group").attributes()).containsEntry("subnetIds",
                List.of(Ref.id("network/subnet.private-a"), Ref.id("network/subnet.private-b")));
        ResourceSpec token = specs.get("cache.sessions/auth-token");
        assertThat(token.type()).isEqualTo("aws_secretsmanager_secret");
        assertThat(token.attributes()).containsEntry("name", "infra/shop/sessions/redis-auth-token")
                .containsEntry("kmsKeyId", KEY).containsEntry("generatedLength", 64L);
        ResourceSpec group = specs.get("cache.sessions/replication-group");
        assertThat(group.type()).isEqualTo("aws_elasticache_replication_group");
        assertThat(group.attributes()).containsEntry("replicationGroupId", "shop-sessions")
                .containsEntry("numCacheClusters", 2L).containsEntry("automaticFailover", true)
                .containsEntry("multiAz", true).containsEntry("subnetGroupName", Ref.id("cache.sessions/subnet-group"))
                .containsEntry("securityGroupIds", List.of(sg)).containsEntry("authTokenSecretArn",
                        Ref.id("cache.sessions/auth-token"))
                .containsEntry("atRestEncryption", true).containsEntry("transitEncryption", true)
                .containsEntry("kmsKeyId", KEY).doesNotContainKey("globalReplicationGroupId");
    }

    /** A global cache: the primary's group heads a Global Datastore; a replica holds a secondary on the primary's token. */
    @Test
    void aGlobalCacheAcrossRegionsIsAPrimaryAndSecondaries() {
        Topology primary = topology(CACHE).withReplicas(List.of("eu-west-2"));
        Map<String, ResourceSpec> p = expanded(primary);
        assertThat(p.get("cache.sessions/global").type()).isEqualTo("aws_elasticache_global_replication_group");
        assertThat(p.get("cache.sessions/global").attributes())
                .containsEntry("primaryReplicationGroupId", Ref.id("cache.sessions/replication-group"));

        Map<String, ResourceSpec> r = expanded(primary.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b"),
                List.of("eu-west-2")));
        assertThat(r).doesNotContainKey("cache.sessions/global");
        ResourceSpec token = r.get("cache.sessions/auth-token");
        assertThat(token.type()).isEqualTo("aws_secretsmanager_secret_replica");
        assertThat(token.attributes()).containsEntry("secretArn", Ref.in("us-east-1", "cache.sessions/auth-token", "arn"))
                .containsEntry("kmsKeyId", KEY);
        assertThat(r.get("cache.sessions/replication-group").attributes())
                .containsEntry("globalReplicationGroupId",
                        Ref.in("us-east-1", "cache.sessions/global", "globalReplicationGroupId"))
                .doesNotContainKey("authTokenSecretArn");
    }

    @Test
    void aServiceRunsOnItsOwnInstanceWithItsDataOnAVolumeOfItsOwn() {
        Map<String, ResourceSpec> specs = expand("""
                services:
                  prometheus: {ports: [9090], volumeSize: 50}
                  grafana: {ports: [3000], zone: b}
                """);
        assertThat(specs.keySet()).filteredOn(a -> a.startsWith("service.prometheus")).containsExactlyInAnyOrder(
                "service.prometheus/security-group",
                "service.prometheus/security-group/rule.ingress-tcp-9090-10.0.0.0_16",
                "service.prometheus/launch-template", "service.prometheus/instance", "service.prometheus/data",
                "service.prometheus/data-attachment");
        ResourceSpec template = specs.get("service.prometheus/launch-template");
        assertThat(template.attributes()).containsEntry("name", "shop-service-prometheus")
                .containsEntry("securityGroupIds", List.of(Ref.id("service.prometheus/security-group")))
                .containsEntry("kmsKeyId", KEY);
        assertThat((String) template.attributes().get("userData")).contains("-p 9090:9090");
        // EBS encryption by default is on: nothing makes volumes before it.
        assertThat(template.dependsOn()).containsExactly("encryption/ebs-default");
        assertThat(specs.get("service.prometheus/instance").attributes())
                .containsEntry("launchTemplateId", Ref.id("service.prometheus/launch-template"))
                .containsEntry("subnetId", Ref.id("network/subnet.private-a"));
        ResourceSpec data = specs.get("service.prometheus/data");
        assertThat(data.type()).isEqualTo("aws_ebs_volume");
        assertThat(data.attributes()).containsEntry("availabilityZone", "us-east-1a").containsEntry("size", 50L)
                .containsEntry("encrypted", true).containsEntry("kmsKeyId", KEY);
        assertThat(specs.get("service.prometheus/data-attachment").attributes())
                .containsEntry("volumeId", Ref.id("service.prometheus/data"))
                .containsEntry("instanceId", Ref.id("service.prometheus/instance"))
                .containsEntry("deviceName", Instances.DATA_DEVICE);

        assertThat(specs.get("service.grafana/instance").attributes())
                .containsEntry("subnetId", Ref.id("network/subnet.private-b"));
        assertThat(specs.get("service.grafana/data").attributes()).containsEntry("availabilityZone", "us-east-1b");
    }
}
