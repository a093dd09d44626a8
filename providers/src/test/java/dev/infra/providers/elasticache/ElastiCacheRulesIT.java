package dev.infra.providers.elasticache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AutomaticFailoverStatus;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * What ElastiCache refuses, and the emulator with it, through raw SDK calls: the Global Datastore prerequisites
 * (node families large and above, supported Regions, at most two secondaries, China with China only) and changes of a
 * member's node type or engine version outside its datastore (moto_launcher.py's patch_elasticache_global_datastore);
 * ModifyReplicationGroup without ApplyImmediately leaves node type, engine version and failover pending
 * (patch_elasticache_modify_replication_group); a subnet group a cluster uses, one being deleted included, stays
 * (patch_elasticache_delete_cache_subnet_group). Primaries in eu-south-2.
 */
class ElastiCacheRulesIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "eu-south-2";
    }

    private static ElastiCacheClient elasticache(AwsClients in) {
        return in.client(ElastiCacheClient.class, ElastiCacheClient::builder);
    }

    private ElastiCacheClient elasticache() {
        return elasticache(clients);
    }

    private String group(String suffix, String nodeType) {
        String id = stack + "-" + suffix;
        elasticache().createReplicationGroup(b -> b.replicationGroupId(id).replicationGroupDescription(suffix)
                .engine("redis").engineVersion("7.0").cacheNodeType(nodeType).numCacheClusters(2));
        return id;
    }

    private static ReplicationGroup described(ElastiCacheClient client, String id) {
        return client.describeReplicationGroups(b -> b.replicationGroupId(id)).replicationGroups().get(0);
    }

    private CacheCluster member(String id) {
        return elasticache().describeCacheClusters(b -> b.cacheClusterId(id + "-001")).cacheClusters().get(0);
    }

    private String datastore(String primary) {
        return elasticache().createGlobalReplicationGroup(b -> b.globalReplicationGroupIdSuffix(primary)
                .primaryReplicationGroupId(primary)).globalReplicationGroup().globalReplicationGroupId();
    }

    private void secondary(String region, String id, String global) {
        elasticache(clients.in(region)).createReplicationGroup(b -> b.replicationGroupId(id)
                .replicationGroupDescription("secondary").globalReplicationGroupId(global));
    }

    @Test
    void aGlobalDatastoreNeedsLargeNodesOfTheListedFamilies() {
        for (String small : List.of("cache.t4g.small", "cache.t3.medium", "cache.m6g.medium", "cache.r4.large")) {
            String id = group(small.replace("cache.", "").replace(".", "-"), small);
            assertRefused(() -> datastore(id), "InvalidParameterValue",
                    "Global replication group is not supported for the node type.");
            assertThat(elasticache().describeGlobalReplicationGroups(b -> { }).globalReplicationGroups())
                    .noneMatch(g -> g.globalReplicationGroupId().endsWith("-" + id));
        }
        String large = group("r7g", "cache.r7g.large");
        assertThat(datastore(large)).endsWith("-" + large);
    }

    @Test
    void secondariesGoToUpToTwoSupportedRegions() {
        String primary = group("primary", "cache.m7g.xlarge");
        String global = datastore(primary);
        assertRefused(() -> secondary("ap-east-2", stack + "-taipei", global), "InvalidParameterValue",
                "not supported in the Region ap-east-2");
        assertRefused(() -> secondary("cn-north-1", stack + "-beijing", global), "InvalidParameterValue",
                "replication stays within its partition");
        secondary("me-central-1", stack + "-uae", global);
        secondary("us-west-1", stack + "-california", global);
        assertRefused(() -> secondary("ca-central-1", stack + "-canada", global), "InvalidParameterValue",
                "up to two other Regions");
        assertThat(elasticache().describeGlobalReplicationGroups(b -> b.globalReplicationGroupId(global)
                .showMemberInfo(true)).globalReplicationGroups().get(0).members()).hasSize(3);
    }

    @Test
    void aMemberScalesThroughItsDatastore() {
        String primary = group("scaled", "cache.r6g.large");
        String global = datastore(primary);
        String secondary = stack + "-scaled-uae";
        secondary("me-central-1", secondary, global);
        assertRefused(() -> elasticache().modifyReplicationGroup(b -> b.replicationGroupId(primary)
                        .cacheNodeType("cache.r6g.xlarge").applyImmediately(true)), "InvalidParameterValue",
                "Cluster [" + primary + "] is part of a global cluster [" + global + "]. Request rejected.");
        assertRefused(() -> elasticache().modifyReplicationGroup(b -> b.replicationGroupId(primary)
                .engineVersion("7.1").applyImmediately(true)), "InvalidParameterValue", "Request rejected.");
        assertRefused(() -> elasticache().modifyGlobalReplicationGroup(b -> b.globalReplicationGroupId(global)
                        .cacheNodeType("cache.t4g.medium").applyImmediately(true)), "InvalidParameterValue",
                "not supported for the node type");

        elasticache().modifyGlobalReplicationGroup(b -> b.globalReplicationGroupId(global)
                .cacheNodeType("cache.r6g.xlarge").applyImmediately(true));
        elasticache().modifyGlobalReplicationGroup(b -> b.globalReplicationGroupId(global)
                .engineVersion("7.1").applyImmediately(true));
        for (ReplicationGroup g : List.of(described(elasticache(), primary),
                described(elasticache(clients.in("me-central-1")), secondary))) {
            assertThat(g.cacheNodeType()).isEqualTo("cache.r6g.xlarge");
        }
        assertThat(member(primary).cacheNodeType()).isEqualTo("cache.r6g.xlarge");
        assertThat(member(primary).engineVersion()).isEqualTo("7.1");
        // What all members do not share still changes on the member.
        elasticache().modifyReplicationGroup(b -> b.replicationGroupId(primary).replicationGroupDescription("renamed")
                .applyImmediately(true));
        assertThat(described(elasticache(), primary).description()).isEqualTo("renamed");
    }

    @Test
    void withoutApplyImmediatelyChangesWait() {
        String id = group("later", "cache.t3.micro");
        elasticache().modifyReplicationGroup(b -> b.replicationGroupId(id).cacheNodeType("cache.t3.small")
                .engineVersion("7.1").automaticFailoverEnabled(true).replicationGroupDescription("described at once"));
        ReplicationGroup g = described(elasticache(), id);
        assertThat(g.cacheNodeType()).isEqualTo("cache.t3.micro");
        assertThat(g.automaticFailover()).isEqualTo(AutomaticFailoverStatus.DISABLED);
        assertThat(g.pendingModifiedValues().automaticFailoverStatusAsString()).isEqualTo("enabled");
        assertThat(g.description()).isEqualTo("described at once");
        assertThat(member(id).pendingModifiedValues().cacheNodeType()).isEqualTo("cache.t3.small");
        assertThat(member(id).pendingModifiedValues().engineVersion()).isEqualTo("7.1");
        assertThat(member(id).engineVersion()).isEqualTo("7.0");

        // ApplyImmediately applies what waits, too.
        elasticache().modifyReplicationGroup(b -> b.replicationGroupId(id).replicationGroupDescription("now")
                .applyImmediately(true));
        g = described(elasticache(), id);
        assertThat(g.cacheNodeType()).isEqualTo("cache.t3.small");
        assertThat(g.automaticFailover()).isEqualTo(AutomaticFailoverStatus.ENABLED);
        assertThat(member(id).engineVersion()).isEqualTo("7.1");
        assertThat(member(id).pendingModifiedValues().cacheNodeType()).isNull();
    }

    @Test
    void aSubnetGroupStaysWhileAClusterUsesIt() {
        Ec2Client ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.73.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.73.0.0/24").availabilityZone(region() + "a"))
                .subnet().subnetId();
        String name = stack + "-subnets";
        elasticache().createCacheSubnetGroup(b -> b.cacheSubnetGroupName(name).cacheSubnetGroupDescription("x")
                .subnetIds(subnet));
        String cluster = stack + "-single";
        elasticache().createCacheCluster(b -> b.cacheClusterId(cluster).engine("redis").cacheNodeType("cache.t3.micro")
                .numCacheNodes(1).cacheSubnetGroupName(name));
        assertRefused(() -> elasticache().deleteCacheSubnetGroup(b -> b.cacheSubnetGroupName(name)),
                "CacheSubnetGroupInUse", "currently in use");
        elasticache().deleteCacheCluster(b -> b.cacheClusterId(cluster));
        assertThat(elasticache().describeCacheClusters(b -> b.cacheClusterId(cluster)).cacheClusters().get(0)
                .cacheClusterStatus()).isEqualTo("deleting");
        assertRefused(() -> elasticache().deleteCacheSubnetGroup(b -> b.cacheSubnetGroupName(name)),
                "CacheSubnetGroupInUse", "currently in use");

        String unused = stack + "-unused";
        elasticache().createCacheSubnetGroup(b -> b.cacheSubnetGroupName(unused).cacheSubnetGroupDescription("x")
                .subnetIds(subnet));
        elasticache().deleteCacheSubnetGroup(b -> b.cacheSubnetGroupName(unused));
    }
}
