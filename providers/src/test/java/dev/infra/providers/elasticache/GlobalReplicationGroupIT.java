package dev.infra.providers.elasticache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.secretsmanager.SecretProvider;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AutomaticFailoverStatus;
import software.amazon.awssdk.services.elasticache.model.DescribeGlobalReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.GlobalReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.GlobalReplicationGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * ElastiCache Global Datastore against the emulator: the primary in ap-southeast-1, a secondary in af-south-1.
 * (ap-southeast-1 rather than me-south-1: AWS documents the Global Datastore id prefix of ap-southeast-1, "vlqxn", and
 * none for me-south-1.)
 */
class GlobalReplicationGroupIT extends ProviderTestSupport {

    static final String SECONDARY_REGION = "af-south-1";

    private final Map<String, Network> networks = new TreeMap<>();
    private AwsClients secondary;

    record Network(List<String> subnets, String securityGroup, String keyArn) {
    }

    @Override
    protected String region() {
        return "ap-southeast-1";
    }

    @BeforeAll
    void network() {
        secondary = clients.in(SECONDARY_REGION);
        networks.put(region(), network(clients, "10.61"));
        networks.put(SECONDARY_REGION, network(secondary, "10.62"));
    }

    private static Network network(AwsClients in, String prefix) {
        Ec2Client ec2 = in.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock(prefix + ".0.0/16")).vpc().vpcId();
        List<String> subnets = List.of("a", "b").stream().map(az -> ec2.createSubnet(b -> b.vpcId(vpc)
                .cidrBlock(prefix + "." + (az.equals("a") ? 0 : 1) + ".0/24").availabilityZone(in.region() + az))
                .subnet().subnetId()).toList();
        String sg = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("cache").description("cache")).groupId();
        String key = in.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("cache key"))
                .keyMetadata().arn();
        return new Network(subnets, sg, key);
    }

    private static ElastiCacheClient elasticache(AwsClients in) {
        return in.client(ElastiCacheClient.class, ElastiCacheClient::builder);
    }

    private static ReplicationGroup rawGroup(AwsClients in, String id) {
        return elasticache(in).describeReplicationGroups(b -> b.replicationGroupId(id)).replicationGroups().get(0);
    }

    private GlobalReplicationGroup rawGlobal(AwsClients in, String id) {
        return elasticache(in).describeGlobalReplicationGroups(b -> b.globalReplicationGroupId(id).showMemberInfo(true))
                .globalReplicationGroups().get(0);
    }

    private static String errorCode(Throwable e) {
        return ((ElastiCacheException) e).awsErrorDetails().errorCode();
    }

    private String subnetGroup(AwsClients in, String address) {
        ResourceSpec spec = spec(address, CacheSubnetGroupProvider.TYPE, Map.of("name", "infra-" + stack + "-"
                + in.region(), "description", "cache", "subnetIds", networks.get(in.region()).subnets()), Map.of());
        return new CacheSubnetGroupProvider(in).create(spec, ctx(address)).id();
    }

    /** A replication group spec of {@code in}'s Region; {@code global} makes it a secondary of that datastore. */
    private ResourceSpec groupSpec(AwsClients in, String address, String id, String subnetGroup, String secretArn,
                                   String global, Map<String, Object> changes) {
        Network n = networks.get(in.region());
        Map<String, Object> a = new TreeMap<>(attributes(
                "replicationGroupId", id, "description", "sessions of " + stack, "engine", "redis",
                "engineVersion", "7.1", "nodeType", "cache.r6g.large", "numCacheClusters", 2L,
                "automaticFailover", true, "multiAz", true, "subnetGroupName", subnetGroup,
                "securityGroupIds", List.of(n.securityGroup()), "atRestEncryption", true, "kmsKeyId", n.keyArn(),
                "transitEncryption", true, "authTokenSecretArn", secretArn, "globalReplicationGroupId", global));
        a.putAll(changes);
        return spec(address, ReplicationGroupProvider.TYPE, a, Map.of("team", "cache"));
    }

    private ResourceSpec globalSpec(String address, String suffix, String primary, String description) {
        return untaggedSpec(address, GlobalReplicationGroupProvider.TYPE, attributes(
                "globalReplicationGroupIdSuffix", suffix, "primaryReplicationGroupId", primary,
                "description", description));
    }

    @Test
    void globalDatastoreWithASecondaryInAnotherRegion() {
        // The primary: a replication group of the primary Region, made as the stack makes it.
        String secretArn = new SecretProvider(clients).create(spec("cache.sessions/auth-token", SecretProvider.TYPE,
                Map.of("name", "infra/" + stack + "/sessions", "generatedLength", 64L), Map.of()), ctx("secret")).id();
        ReplicationGroupProvider primaries = new ReplicationGroupProvider(clients);
        String primaryId = "sessions-" + stack;
        ResourceSpec primarySpec = groupSpec(clients, "cache.sessions/replication-group", primaryId,
                subnetGroup(clients, "cache.sessions/subnet-group"), secretArn, null, Map.of());
        LiveResource primary = primaries.create(primarySpec, ctx(primarySpec.address()));

        // The global datastore, in the primary's Region.
        GlobalReplicationGroupProvider globals = new GlobalReplicationGroupProvider(clients);
        String address = "cache.sessions/global-datastore";
        String suffix = "sessions-" + stack;
        ResourceSpec globalSpec = globalSpec(address, suffix, primaryId, "sessions of " + stack);
        LiveResource global = globals.create(globalSpec, ctx(address));

        String globalId = global.id();
        assertThat(globalId).isEqualTo("vlqxn-" + suffix);
        GlobalReplicationGroup raw = rawGlobal(clients, globalId);
        assertThat(raw.status()).isEqualTo("available");
        assertThat(raw.globalReplicationGroupDescription()).isEqualTo("sessions of " + stack);
        assertThat(raw.members()).extracting(GlobalReplicationGroupMember::replicationGroupId,
                GlobalReplicationGroupMember::replicationGroupRegion, GlobalReplicationGroupMember::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(primaryId, region(), "PRIMARY"));
        assertMatchesSpec(global, globalSpec);
        assertThat(global.address()).isNull();
        assertThat(global.attributes()).containsEntry("globalReplicationGroupId", globalId)
                .containsEntry("arn", raw.arn());
        assertThat(rawGroup(clients, primaryId).globalReplicationGroupInfo().globalReplicationGroupMemberRole())
                .isEqualToIgnoringCase("primary");
        // The primary's own spec knows nothing of the datastore, and reads back unchanged.
        assertThat(primaries.readAll(ReadRequest.of(stack, Set.of(primaryId)))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, primarySpec, "authTokenSecretArn"))
                .satisfies(r -> assertThat(r.attributes()).doesNotContainKey("globalReplicationGroupId"));

        // The secondary, in the other Region, from a spec carrying the primary's settings (and its AUTH secret).
        ReplicationGroupProvider secondaries = new ReplicationGroupProvider(secondary);
        String secondaryId = "sessions-" + stack + "-replica";
        String secondaryAddress = "cache.sessions/replica-group";
        ResourceSpec secondarySpec = groupSpec(secondary, secondaryAddress, secondaryId,
                subnetGroup(secondary, "cache.sessions/replica-subnet-group"), secretArn, globalId, Map.of());
        LiveResource replica = secondaries.create(secondarySpec, ctx(secondaryAddress));

        ReplicationGroup rawReplica = rawGroup(secondary, secondaryId);
        assertThat(rawReplica.globalReplicationGroupInfo().globalReplicationGroupId()).isEqualTo(globalId);
        assertThat(rawReplica.globalReplicationGroupInfo().globalReplicationGroupMemberRole()).isEqualToIgnoringCase("secondary");
        assertThat(rawReplica.cacheNodeType()).isEqualTo("cache.r6g.large");
        assertThat(rawReplica.automaticFailover()).isEqualTo(AutomaticFailoverStatus.ENABLED);
        assertThat(rawReplica.transitEncryptionEnabled()).isTrue();
        assertThat(rawReplica.authTokenEnabled()).isTrue(); // the datastore's AUTH, not a token of its own
        assertThat(rawReplica.kmsKeyId()).isEqualTo(networks.get(SECONDARY_REGION).keyArn());
        assertThat(rawReplica.memberClusters()).hasSize(2);
        assertThat(rawGlobal(secondary, globalId).members()).extracting(GlobalReplicationGroupMember::replicationGroupId,
                GlobalReplicationGroupMember::replicationGroupRegion, GlobalReplicationGroupMember::role)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(primaryId, region(), "PRIMARY"),
                        org.assertj.core.groups.Tuple.tuple(secondaryId, SECONDARY_REGION, "SECONDARY"));
        assertMatchesSpec(replica, secondarySpec);

        // Updates: the datastore's description; the secondary's own description. What a secondary inherits does not
        // change on it.
        ResourceSpec described = globalSpec(address, suffix, primaryId, "user sessions");
        LiveResource updated = globals.update(global, described, Set.of("description"), ctx(address));
        assertThat(rawGlobal(clients, globalId).globalReplicationGroupDescription()).isEqualTo("user sessions");
        assertMatchesSpec(updated, described);

        ResourceSpec renamed = groupSpec(secondary, secondaryAddress, secondaryId, secondarySpec.attributes()
                .get("subnetGroupName").toString(), secretArn, globalId, Map.of("description", "replica sessions"));
        replica = secondaries.update(replica, renamed, Set.of("description"), ctx(secondaryAddress));
        assertThat(rawGroup(secondary, secondaryId).description()).isEqualTo("replica sessions");
        assertMatchesSpec(replica, renamed, "authTokenSecretArn");
        ResourceSpec scaled = groupSpec(secondary, secondaryAddress, secondaryId, secondarySpec.attributes()
                .get("subnetGroupName").toString(), secretArn, globalId, Map.of("description", "replica sessions",
                "nodeType", "cache.r6g.xlarge"));
        LiveResource before = replica;
        assertThatThrownBy(() -> secondaries.update(before, scaled, Set.of("nodeType"), ctx(secondaryAddress)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("secondary of global datastore " + globalId)
                .hasMessageContaining("nodeType");
        assertThat(rawGroup(secondary, secondaryId).cacheNodeType()).isEqualTo("cache.r6g.large");

        // Reads: the datastore by its recorded id, with one call; the secondary with its stack, as before.
        clients.counter().reset();
        assertThat(globals.readAll(ReadRequest.of(stack, Set.of(globalId)))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ElastiCache", Map.of("DescribeGlobalReplicationGroups", 1L)));
        clients.counter().reset();
        assertThat(secondaries.readAll(ReadRequest.of(stack, Set.of(secondaryId)))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, renamed, "authTokenSecretArn"));
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "ElastiCache", Map.of("DescribeReplicationGroups", 1L, "DescribeCacheClusters", 1L)));
        assertThat(globals.findExisting(stack, described)).contains(updated);
        assertThat(secondaries.findExisting(stack, renamed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(secondaryId));
        assertThatThrownBy(() -> globals.findExisting(stack, globalSpec(address, suffix, "another-group", null)))
                .isInstanceOf(ProviderException.class).hasMessageContaining("already exists with primary " + primaryId);

        // The primary scales and upgrades through its datastore (ModifyGlobalReplicationGroup; AWS refuses both in
        // ModifyReplicationGroup of a member), and the secondary with it: its own update, as its plan asks, finds it done.
        ResourceSpec primaryScaled = groupSpec(clients, primarySpec.address(), primaryId,
                primarySpec.attributes().get("subnetGroupName").toString(), secretArn, null,
                Map.of("nodeType", "cache.r6g.xlarge", "engineVersion", "7.2"));
        // The secondary reads "modifying" twice after each change (its region's answers, rewritten): the change is
        // done once it, too, is available again.
        AtomicInteger secondaryBusy = new AtomicInteger(2);
        LiveResource scaledPrimary;
        try (AwsClients watched = Emulator.clients(region(), Faults.rewrite(DescribeReplicationGroupsResponse.class,
                r -> r.replicationGroups().size() == 1 && r.replicationGroups().get(0).replicationGroupId().equals(secondaryId)
                        && secondaryBusy.getAndDecrement() > 0 ? r.toBuilder().replicationGroups(r.replicationGroups().get(0)
                        .toBuilder().status("modifying").build()).build() : r))) {
            scaledPrimary = new ReplicationGroupProvider(watched).update(primary, primaryScaled,
                    Set.of("nodeType", "engineVersion"), SleepingOperationContext.pretending(primarySpec.address()));
            assertThat(secondaryBusy.get()).as("the secondary was waited for").isNegative();
            assertThat(watched.counter().count("ElastiCache", "ModifyGlobalReplicationGroup")).isEqualTo(2);
            assertThat(watched.counter().count("ElastiCache", "ModifyReplicationGroup")).isZero();
        }
        assertMatchesSpec(scaledPrimary, primaryScaled, "authTokenSecretArn");
        assertThat(rawGroup(secondary, secondaryId).cacheNodeType()).isEqualTo("cache.r6g.xlarge");
        ResourceSpec followed = groupSpec(secondary, secondaryAddress, secondaryId, secondarySpec.attributes()
                .get("subnetGroupName").toString(), secretArn, globalId, Map.of("description", "replica sessions",
                "nodeType", "cache.r6g.xlarge", "engineVersion", "7.2"));
        replica = secondaries.update(replica, followed, Set.of("nodeType", "engineVersion"), ctx(secondaryAddress));
        assertMatchesSpec(replica, followed, "authTokenSecretArn");

        // Deleting the datastore or its primary while a secondary remains fails, saying why.
        assertThatThrownBy(() -> globals.delete(updated, ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("global datastore " + globalId + " still has secondary members " + secondaryId
                        + " (" + SECONDARY_REGION + ")")
                .hasMessageContaining("InvalidGlobalReplicationGroupState");
        assertThatThrownBy(() -> primaries.delete(primary, ctx(primarySpec.address())))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("is the primary of global datastore " + globalId);
        assertThat(rawGlobal(clients, globalId).members()).hasSize(2);

        // The secondary goes: disassociated, then deleted.
        secondaries.delete(replica, ctx(secondaryAddress));
        assertThatThrownBy(() -> rawGroup(secondary, secondaryId)).isInstanceOf(ReplicationGroupNotFoundException.class);
        assertThat(rawGlobal(clients, globalId).members()).extracting(GlobalReplicationGroupMember::replicationGroupId)
                .containsExactly(primaryId);
        assertThat(secondaries.readAll(ReadRequest.of(stack, Set.of(secondaryId)))).isEmpty();

        // Then the datastore, keeping the primary.
        globals.delete(updated, ctx(address));
        assertThatThrownBy(() -> rawGlobal(clients, globalId)).isInstanceOf(ElastiCacheException.class)
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("GlobalReplicationGroupNotFoundFault"));
        assertThat(globals.readAll(ReadRequest.of(stack, Set.of(globalId)))).isEmpty();
        globals.delete(updated, ctx(address)); // already gone: fine
        ReplicationGroup rawPrimary = rawGroup(clients, primaryId);
        assertThat(rawPrimary.status()).isEqualTo("available");
        assertThat(rawPrimary.globalReplicationGroupInfo()).isNull();

        primaries.delete(primary, ctx(primarySpec.address()));
        assertThatThrownBy(() -> rawGroup(clients, primaryId)).isInstanceOf(ReplicationGroupNotFoundException.class);
    }

    /** What AWS answers while a datastore is being created (the emulator's are available at once): create waits. */
    @Test
    void createWaitsUntilTheDatastoreIsAvailable() {
        String primaryId = "slow-" + stack;
        elasticache(clients).createReplicationGroup(b -> b.replicationGroupId(primaryId).replicationGroupDescription("slow")
                .engine("redis").cacheNodeType("cache.r6g.large").numCacheClusters(1));
        AtomicInteger creating = new AtomicInteger(2);
        try (AwsClients slow = Emulator.clients(region(), Faults.rewrite(DescribeGlobalReplicationGroupsResponse.class,
                r -> r.toBuilder().globalReplicationGroups(r.globalReplicationGroups().stream()
                        .map(g -> creating.getAndDecrement() > 0 ? g.toBuilder().status("creating").build() : g)
                        .toList()).build()))) {
            String address = "cache.slow/global-datastore";
            SleepingOperationContext ctx = SleepingOperationContext.pretending(address);
            GlobalReplicationGroupProvider globals = new GlobalReplicationGroupProvider(slow);
            LiveResource created = globals.create(globalSpec(address, "slow-" + stack, primaryId, null), ctx);
            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThat(created.id()).isEqualTo("vlqxn-slow-" + stack);
            globals.delete(created, ctx);
        }
        elasticache(clients).deleteReplicationGroup(b -> b.replicationGroupId(primaryId));
    }

    /**
     * The Global Datastore calls moto lacks, filled by moto_launcher.py's patch_elasticache_global_datastore as AWS
     * documents them, on the raw API.
     */
    @Test
    void emulatorFillsGlobalDatastoreCalls() {
        ElastiCacheClient p = elasticache(clients);
        ElastiCacheClient s = elasticache(secondary);
        String primaryId = "raw-" + stack;
        p.createReplicationGroup(b -> b.replicationGroupId(primaryId).replicationGroupDescription("raw").engine("redis")
                .engineVersion("7.1").cacheNodeType("cache.r6g.large").numCacheClusters(2).automaticFailoverEnabled(true)
                .transitEncryptionEnabled(true).authToken("a".repeat(32)).atRestEncryptionEnabled(true));
        assertThat(rawGroup(clients, primaryId).globalReplicationGroupInfo()).isNull();

        GlobalReplicationGroup created = p.createGlobalReplicationGroup(b -> b.globalReplicationGroupIdSuffix("raw-" + stack)
                .primaryReplicationGroupId(primaryId).globalReplicationGroupDescription("raw")).globalReplicationGroup();
        String globalId = created.globalReplicationGroupId();
        assertThat(globalId).isEqualTo("vlqxn-raw-" + stack); // ap-southeast-1's documented prefix
        assertThat(created.arn()).endsWith(":globalreplicationgroup:" + globalId);
        assertThat(created.cacheNodeType()).isEqualTo("cache.r6g.large");
        assertThat(created.engineVersion()).isEqualTo("7.1");
        assertThat(created.transitEncryptionEnabled()).isTrue();
        assertThat(rawGroup(clients, primaryId).globalReplicationGroupInfo().globalReplicationGroupMemberRole())
                .isEqualTo("PRIMARY");
        assertThatThrownBy(() -> p.createGlobalReplicationGroup(b -> b.globalReplicationGroupIdSuffix("raw-" + stack)
                .primaryReplicationGroupId(primaryId))).isInstanceOf(ElastiCacheException.class);
        assertThatThrownBy(() -> p.createGlobalReplicationGroup(b -> b.globalReplicationGroupIdSuffix("none-" + stack)
                .primaryReplicationGroupId("none-" + stack))).isInstanceOf(ReplicationGroupNotFoundException.class);
        assertThatThrownBy(() -> p.describeGlobalReplicationGroups(b -> b.globalReplicationGroupId("vlqxn-none")))
                .isInstanceOf(ElastiCacheException.class)
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("GlobalReplicationGroupNotFoundFault"))
                .satisfies(e -> assertThat(((ElastiCacheException) e).statusCode()).isEqualTo(404));

        // A secondary in another Region inherits what the datastore's members share, and may not set it.
        String secondaryId = "raw-" + stack + "-replica";
        assertThatThrownBy(() -> s.createReplicationGroup(b -> b.replicationGroupId(secondaryId)
                .replicationGroupDescription("replica").globalReplicationGroupId(globalId).cacheNodeType("cache.r6g.xlarge")))
                .isInstanceOf(ElastiCacheException.class)
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterCombination"));
        s.createReplicationGroup(b -> b.replicationGroupId(secondaryId).replicationGroupDescription("replica")
                .globalReplicationGroupId(globalId).numCacheClusters(2));
        ReplicationGroup replica = rawGroup(secondary, secondaryId);
        assertThat(replica.globalReplicationGroupInfo().globalReplicationGroupId()).isEqualTo(globalId);
        assertThat(replica.globalReplicationGroupInfo().globalReplicationGroupMemberRole()).isEqualTo("SECONDARY");
        assertThat(replica.cacheNodeType()).isEqualTo("cache.r6g.large");
        assertThat(replica.transitEncryptionEnabled()).isTrue();
        assertThat(replica.atRestEncryptionEnabled()).isTrue();
        assertThat(replica.authTokenEnabled()).isTrue();
        assertThat(replica.automaticFailover()).isEqualTo(AutomaticFailoverStatus.ENABLED);
        assertThat(s.describeCacheClusters(b -> b.cacheClusterId(secondaryId + "-001")).cacheClusters().get(0)
                .engineVersion()).isEqualTo("7.1");
        // The datastore is the account's: both Regions see it, members only when asked for.
        assertThat(rawGlobal(secondary, globalId).members()).extracting(GlobalReplicationGroupMember::role)
                .containsExactly("PRIMARY", "SECONDARY");
        assertThat(s.describeGlobalReplicationGroups(b -> b.globalReplicationGroupId(globalId)).globalReplicationGroups()
                .get(0).members()).isEmpty();

        assertThat(p.modifyGlobalReplicationGroup(b -> b.globalReplicationGroupId(globalId).applyImmediately(true)
                .globalReplicationGroupDescription("raw datastore")).globalReplicationGroup()
                .globalReplicationGroupDescription()).isEqualTo("raw datastore");

        // Members stay while the datastore has secondaries.
        assertThatThrownBy(() -> p.deleteGlobalReplicationGroup(b -> b.globalReplicationGroupId(globalId)
                .retainPrimaryReplicationGroup(true))).isInstanceOf(ElastiCacheException.class)
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidGlobalReplicationGroupState"));
        assertThatThrownBy(() -> s.deleteReplicationGroup(b -> b.replicationGroupId(secondaryId)))
                .isInstanceOf(ElastiCacheException.class)
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidReplicationGroupState"));
        assertThatThrownBy(() -> s.disassociateGlobalReplicationGroup(b -> b.globalReplicationGroupId(globalId)
                .replicationGroupId(primaryId).replicationGroupRegion(region())))
                .isInstanceOf(ElastiCacheException.class)
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));

        s.disassociateGlobalReplicationGroup(b -> b.globalReplicationGroupId(globalId).replicationGroupId(secondaryId)
                .replicationGroupRegion(SECONDARY_REGION));
        assertThat(rawGroup(secondary, secondaryId).globalReplicationGroupInfo()).isNull();
        assertThat(rawGlobal(clients, globalId).members()).extracting(GlobalReplicationGroupMember::replicationGroupId)
                .containsExactly(primaryId);
        s.deleteReplicationGroup(b -> b.replicationGroupId(secondaryId));

        assertThat(p.deleteGlobalReplicationGroup(b -> b.globalReplicationGroupId(globalId)
                .retainPrimaryReplicationGroup(true)).globalReplicationGroup().status()).isEqualTo("deleting");
        assertThat(p.describeGlobalReplicationGroups(b -> { }).globalReplicationGroups())
                .extracting(GlobalReplicationGroup::globalReplicationGroupId).doesNotContain(globalId);
        assertThat(rawGroup(clients, primaryId).globalReplicationGroupInfo()).isNull();
        p.deleteReplicationGroup(b -> b.replicationGroupId(primaryId));
    }
}
