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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AutomaticFailoverStatus;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroup;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.MultiAZStatus;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SecurityGroupMembership;
import software.amazon.awssdk.services.elasticache.model.Subnet;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** ElastiCache subnet and replication groups against the emulator, in eu-north-1. */
class ElastiCacheIT extends ProviderTestSupport {

    private final List<String> subnets = new ArrayList<>();
    private final List<String> securityGroups = new ArrayList<>();
    private String keyArn;

    @Override
    protected String region() {
        return "eu-north-1";
    }

    @BeforeAll
    void network() {
        Ec2Client ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        for (int i = 0; i < 3; i++) {
            int n = i;
            subnets.add(ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.40." + n + ".0/24")
                    .availabilityZone("eu-north-1" + (char) ('a' + n))).subnet().subnetId());
            securityGroups.add(ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("cache-" + n).description("cache"))
                    .groupId());
        }
        keyArn = clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("cache key"))
                .keyMetadata().arn();
    }

    private ElastiCacheClient elasticache() {
        return clients.client(ElastiCacheClient.class, ElastiCacheClient::builder);
    }

    private CacheSubnetGroup rawSubnetGroup(String name) {
        return elasticache().describeCacheSubnetGroups(b -> b.cacheSubnetGroupName(name)).cacheSubnetGroups().get(0);
    }

    private ReplicationGroup rawGroup(String id) {
        return elasticache().describeReplicationGroups(b -> b.replicationGroupId(id)).replicationGroups().get(0);
    }

    private List<CacheCluster> rawMembers(String id) {
        return elasticache().describeCacheClusters(b -> { }).cacheClusters().stream()
                .filter(c -> id.equals(c.replicationGroupId())).toList();
    }

    private Map<String, String> rawTags(String arn) {
        Map<String, String> out = new TreeMap<>();
        elasticache().listTagsForResource(b -> b.resourceName(arn)).tagList().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private ResourceSpec subnetGroupSpec(String address, String name, String description, List<String> subnetIds,
                                         Map<String, String> tags) {
        return spec(address, CacheSubnetGroupProvider.TYPE,
                Map.of("name", name, "description", description, "subnetIds", subnetIds), tags);
    }

    private ResourceSpec groupSpec(String address, String id, String subnetGroup, String secretArn,
                                   Map<String, Object> changes) {
        Map<String, Object> a = new TreeMap<>();
        a.put("replicationGroupId", id);
        a.put("description", "cache of " + stack);
        a.put("engine", "redis");
        a.put("engineVersion", "7.1");
        a.put("nodeType", "cache.t3.micro");
        a.put("numCacheClusters", 2L);
        a.put("automaticFailover", true);
        a.put("multiAz", true);
        a.put("subnetGroupName", subnetGroup);
        a.put("securityGroupIds", List.of(securityGroups.get(0)));
        a.put("atRestEncryption", true);
        a.put("kmsKeyId", keyArn);
        a.put("transitEncryption", true);
        a.put("authTokenSecretArn", secretArn);
        a.putAll(changes);
        a.values().removeIf(Objects::isNull);
        return spec(address, ReplicationGroupProvider.TYPE, a, Map.of("team", "cache"));
    }

    /** A secret made by the secrets provider, as the expansion makes the AUTH token; returns its ARN. */
    private String authTokenSecret(String address) {
        ResourceSpec spec = spec(address, SecretProvider.TYPE, Map.of("name", "infra/" + stack + "/" + address,
                "generatedLength", 64L), Map.of());
        return new SecretProvider(clients).create(spec, ctx(address)).id();
    }

    private String secretValue(String arn) {
        return clients.client(SecretsManagerClient.class, SecretsManagerClient::builder)
                .getSecretValue(b -> b.secretId(arn)).secretString();
    }

    @Test
    void subnetGroupLifecycle() {
        CacheSubnetGroupProvider groups = new CacheSubnetGroupProvider(clients);
        String address = "cache.sessions/subnet-group";
        String name = "infra-" + stack + "-sessions";
        ResourceSpec spec = subnetGroupSpec(address, name, "sessions", List.of(subnets.get(1), subnets.get(0)),
                Map.of("retired", "soon"));

        LiveResource created = groups.create(spec, ctx(address));

        CacheSubnetGroup raw = rawSubnetGroup(name);
        assertThat(raw.cacheSubnetGroupDescription()).isEqualTo("sessions");
        assertThat(raw.subnets()).extracting(Subnet::subnetIdentifier).containsExactlyInAnyOrder(subnets.get(0), subnets.get(1));
        assertThat(rawTags(raw.arn())).isEqualTo(spec.tags());
        assertThat(created.id()).isEqualTo(name);
        assertMatchesSpec(created, spec, "subnetIds");
        assertThat(created.attributes().get("subnetIds")).asList().containsExactlyInAnyOrder(subnets.get(0), subnets.get(1));

        ResourceSpec changed = subnetGroupSpec(address, name, "user sessions", List.of(subnets.get(0), subnets.get(2)),
                Map.of());
        LiveResource updated = groups.update(created, changed, Set.of("description", "subnetIds", "tags"), ctx(address));

        raw = rawSubnetGroup(name);
        assertThat(raw.cacheSubnetGroupDescription()).isEqualTo("user sessions");
        assertThat(raw.subnets()).extracting(Subnet::subnetIdentifier).containsExactlyInAnyOrder(subnets.get(0), subnets.get(2));
        assertThat(rawTags(raw.arn())).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertMatchesSpec(updated, changed, "subnetIds"); // a set: AWS keeps no order

        clients.counter().reset();
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name)))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "ElastiCache", Map.of("DescribeCacheSubnetGroups", 1L)));

        assertThat(groups.findExisting(stack, changed)).contains(updated);

        groups.delete(updated, ctx(address));
        assertThatThrownBy(() -> rawSubnetGroup(name)).isInstanceOf(CacheSubnetGroupNotFoundException.class);
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name)))).isEmpty();
        groups.delete(updated, ctx(address)); // already gone: fine
    }

    @Test
    void replicationGroupLifecycle() {
        String subnetGroup = new CacheSubnetGroupProvider(clients).create(subnetGroupSpec("cache.main/subnet-group",
                "infra-" + stack + "-main", "main", List.of(subnets.get(0), subnets.get(1)), Map.of()), ctx("sg")).id();
        String secretArn = authTokenSecret("cache.main/auth-token");
        String token = secretValue(secretArn);
        ReplicationGroupProvider groups = new ReplicationGroupProvider(clients);
        String address = "cache.main/replication-group";
        String id = "infra-" + stack;
        ResourceSpec spec = groupSpec(address, id, subnetGroup, secretArn, Map.of());

        LiveResource created = groups.create(spec, ctx(address));

        ReplicationGroup raw = rawGroup(id);
        assertThat(raw.status()).isEqualTo("available");
        assertThat(raw.description()).isEqualTo("cache of " + stack);
        assertThat(raw.cacheNodeType()).isEqualTo("cache.t3.micro");
        assertThat(raw.memberClusters()).hasSize(2);
        assertThat(raw.automaticFailover()).isEqualTo(AutomaticFailoverStatus.ENABLED);
        assertThat(raw.multiAZ()).isEqualTo(MultiAZStatus.ENABLED);
        assertThat(raw.atRestEncryptionEnabled()).isTrue();
        assertThat(raw.kmsKeyId()).isEqualTo(keyArn);
        assertThat(raw.transitEncryptionEnabled()).isTrue();
        assertThat(raw.authTokenEnabled()).isTrue();
        assertThat(rawTags(raw.arn())).isEqualTo(spec.tags());
        assertThat(rawMembers(id)).hasSize(2).allSatisfy(c -> {
            assertThat(c.engineVersion()).isEqualTo("7.1");
            assertThat(c.cacheSubnetGroupName()).isEqualTo(subnetGroup);
            assertThat(c.securityGroups()).extracting(SecurityGroupMembership::securityGroupId)
                    .containsExactly(securityGroups.get(0));
        });
        assertMatchesSpec(created, spec);
        assertThat(created.attributes())
                .containsEntry("primaryEndpoint", raw.nodeGroups().get(0).primaryEndpoint().address())
                .containsEntry("readerEndpoint", raw.nodeGroups().get(0).readerEndpoint().address())
                .containsEntry("port", 6379L);
        assertThat(created.attributes().values()).noneSatisfy(v -> assertThat(String.valueOf(v)).contains(token));

        // A subnet group in use cannot go (what the provider's delete retries on).
        assertThatThrownBy(() -> elasticache().deleteCacheSubnetGroup(b -> b.cacheSubnetGroupName(subnetGroup)))
                .isInstanceOf(ElastiCacheException.class)
                .satisfies(e -> assertThat(((ElastiCacheException) e).awsErrorDetails().errorCode())
                        .isEqualTo("CacheSubnetGroupInUse"));

        Map<String, Object> bigger = new TreeMap<>();
        bigger.put("description", "main cache");
        bigger.put("engineVersion", "7.2");
        bigger.put("nodeType", "cache.t3.small");
        bigger.put("numCacheClusters", 3L);
        bigger.put("securityGroupIds", List.of(securityGroups.get(1), securityGroups.get(2)));
        ResourceSpec grown = groupSpec(address, id, subnetGroup, secretArn, bigger);
        LiveResource updated = groups.update(created, grown, bigger.keySet(), ctx(address));

        raw = rawGroup(id);
        assertThat(raw.description()).isEqualTo("main cache");
        assertThat(raw.cacheNodeType()).isEqualTo("cache.t3.small");
        assertThat(raw.memberClusters()).hasSize(3);
        assertThat(rawMembers(id)).hasSize(3).allSatisfy(c -> {
            assertThat(c.engineVersion()).isEqualTo("7.2");
            assertThat(c.securityGroups()).extracting(SecurityGroupMembership::securityGroupId)
                    .containsExactlyInAnyOrder(securityGroups.get(1), securityGroups.get(2));
        });
        assertMatchesSpec(updated, grown, "securityGroupIds");

        Map<String, Object> single = new TreeMap<>(bigger);
        single.put("numCacheClusters", 1L);
        single.put("automaticFailover", false);
        single.put("multiAz", false);
        ResourceSpec shrunk = groupSpec(address, id, subnetGroup, secretArn, single);
        updated = groups.update(updated, shrunk, Set.of("numCacheClusters", "automaticFailover", "multiAz"), ctx(address));
        raw = rawGroup(id);
        assertThat(raw.memberClusters()).hasSize(1);
        assertThat(raw.automaticFailover()).isEqualTo(AutomaticFailoverStatus.DISABLED);
        assertThat(raw.multiAZ()).isEqualTo(MultiAZStatus.DISABLED);
        assertMatchesSpec(updated, shrunk, "securityGroupIds");

        clients.counter().reset();
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(id)))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, shrunk, "securityGroupIds", "authTokenSecretArn"));
        // One GetResources for the stack, one describe of the groups and one of the clusters (engine version,
        // subnet group and security groups are the clusters').
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "ElastiCache", Map.of("DescribeReplicationGroups", 1L, "DescribeCacheClusters", 1L)));

        assertThat(groups.findExisting(stack, shrunk)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(id));

        groups.delete(updated, ctx(address));
        assertThatThrownBy(() -> rawGroup(id)).isInstanceOf(ReplicationGroupNotFoundException.class);
        assertThat(rawMembers(id)).isEmpty();
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(id)))).isEmpty();
        groups.delete(updated, ctx(address)); // already gone: fine
        elasticache().deleteCacheSubnetGroup(b -> b.cacheSubnetGroupName(subnetGroup)); // no longer in use
    }

    /**
     * What AWS answers while a group is being created (the emulator's are available at once): create waits, and fails
     * with the status when creation failed.
     */
    @Test
    void createWaitsUntilAvailableAndReportsAFailedCreation() {
        String subnetGroup = new CacheSubnetGroupProvider(clients).create(subnetGroupSpec("cache.slow/subnet-group",
                "infra-" + stack + "-slow", "slow", List.of(subnets.get(0)), Map.of()), ctx("sg")).id();
        AtomicInteger creating = new AtomicInteger(2);
        try (AwsClients slow = Emulator.clients(region(), Faults.rewrite(DescribeReplicationGroupsResponse.class,
                r -> r.toBuilder().replicationGroups(r.replicationGroups().stream()
                        .map(g -> creating.getAndDecrement() > 0 ? g.toBuilder().status("creating").build() : g)
                        .toList()).build()))) {
            String address = "cache.slow/replication-group";
            SleepingOperationContext ctx = SleepingOperationContext.pretending(address);
            Map<String, Object> plain = new TreeMap<>();
            plain.put("authTokenSecretArn", null);
            plain.put("transitEncryption", false);
            ResourceSpec spec = groupSpec(address, "infra-" + stack + "-slow", subnetGroup, null, plain);
            LiveResource created = new ReplicationGroupProvider(slow).create(spec, ctx);
            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThat(created.attributes()).containsEntry("transitEncryption", false)
                    .doesNotContainKey("authTokenSecretArn");
            new ReplicationGroupProvider(slow).delete(created, ctx);
        }
        try (AwsClients failing = Emulator.clients(region(), Faults.rewrite(DescribeReplicationGroupsResponse.class,
                r -> r.toBuilder().replicationGroups(r.replicationGroups().stream()
                        .map(g -> g.toBuilder().status("create-failed").build()).toList()).build()))) {
            String address = "cache.failed/replication-group";
            Map<String, Object> plain = new TreeMap<>();
            plain.put("transitEncryption", false);
            ResourceSpec spec = groupSpec(address, "infra-" + stack + "-failed", subnetGroup, null, plain);
            assertThatThrownBy(() -> new ReplicationGroupProvider(failing).create(spec, ctx(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessage(address + ": replication group infra-" + stack + "-failed is create-failed");
            elasticache().deleteReplicationGroup(b -> b.replicationGroupId("infra-" + stack + "-failed"));
        }
    }

    /** Even when AWS's answer quotes the AUTH token, no message nor cause the provider raises carries it. */
    @Test
    void authTokenNeverAppearsInFailures() {
        String secretArn = authTokenSecret("cache.echo/auth-token");
        String token = secretValue(secretArn);
        ExecutionInterceptor echo = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof CreateReplicationGroupRequest r) {
                    throw AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("InvalidParameterValue").errorMessage("Invalid AuthToken " + r.authToken())
                            .build()).build();
                }
            }
        };
        try (AwsClients echoing = Emulator.clients(region(), echo)) {
            String address = "cache.echo/replication-group";
            ResourceSpec spec = groupSpec(address, "infra-" + stack + "-echo", "none", secretArn, Map.of());
            assertThatThrownBy(() -> new ReplicationGroupProvider(echoing).create(spec, ctx(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("InvalidParameterValue: Invalid AuthToken ***")
                    .satisfies(e -> {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t)).doesNotContain(token);
                            for (Throwable s : t.getSuppressed()) {
                                assertThat(String.valueOf(s)).doesNotContain(token);
                            }
                        }
                    });
        }
    }

    /**
     * The emulator's ElastiCache calls that moto lacks, filled by moto_launcher.py as AWS documents them
     * (patch_elasticache_delete_cache_subnet_group, _modify_cache_subnet_group, _modify_replication_group,
     * _replica_count, _replication_group_members), on the raw API.
     */
    @Test
    void emulatorFillsDocumentedElastiCacheCalls() {
        String name = "raw-" + stack;
        elasticache().createCacheSubnetGroup(b -> b.cacheSubnetGroupName(name).cacheSubnetGroupDescription("raw")
                .subnetIds(subnets.get(0)));
        assertThat(elasticache().modifyCacheSubnetGroup(b -> b.cacheSubnetGroupName(name).subnetIds(subnets.get(1)))
                .cacheSubnetGroup()).satisfies(g -> {
                    assertThat(g.cacheSubnetGroupDescription()).isEqualTo("raw");
                    assertThat(g.subnets()).extracting(Subnet::subnetIdentifier).containsExactly(subnets.get(1));
                });
        assertThatThrownBy(() -> elasticache().modifyCacheSubnetGroup(b -> b.cacheSubnetGroupName(name + "-x")))
                .isInstanceOf(CacheSubnetGroupNotFoundException.class);

        elasticache().createReplicationGroup(b -> b.replicationGroupId(name).replicationGroupDescription("raw")
                .engine("redis").cacheNodeType("cache.t3.micro").numCacheClusters(1).cacheSubnetGroupName(name));
        assertThat(rawGroup(name).memberClusters()).containsExactly(name + "-001");
        assertThat(rawGroup(name).nodeGroups().get(0).readerEndpoint()).isNotNull();
        assertThatThrownBy(() -> elasticache().increaseReplicaCount(b -> b.replicationGroupId(name).newReplicaCount(1)
                .applyImmediately(false))).isInstanceOf(ElastiCacheException.class)
                .hasMessageContaining("ApplyImmediately=False is not currently supported");
        assertThat(elasticache().increaseReplicaCount(b -> b.replicationGroupId(name).newReplicaCount(2)
                .applyImmediately(true)).replicationGroup().memberClusters())
                .containsExactly(name + "-001", name + "-002", name + "-003");
        elasticache().modifyReplicationGroup(b -> b.replicationGroupId(name).multiAZEnabled(true)
                .automaticFailoverEnabled(true).applyImmediately(true));
        assertThatThrownBy(() -> elasticache().decreaseReplicaCount(b -> b.replicationGroupId(name).newReplicaCount(0)
                .applyImmediately(true))).isInstanceOf(ElastiCacheException.class); // Multi-AZ needs a replica
        assertThat(elasticache().decreaseReplicaCount(b -> b.replicationGroupId(name).newReplicaCount(1)
                .applyImmediately(true)).replicationGroup().memberClusters()).containsExactly(name + "-001", name + "-002");
        assertThat(rawMembers(name)).extracting(CacheCluster::cacheClusterId)
                .containsExactlyInAnyOrder(name + "-001", name + "-002");
        assertThatThrownBy(() -> elasticache().modifyReplicationGroup(b -> b.replicationGroupId(name + "-x")
                .replicationGroupDescription("x").applyImmediately(true)))
                .isInstanceOf(ReplicationGroupNotFoundException.class);

        assertThatThrownBy(() -> elasticache().deleteCacheSubnetGroup(b -> b.cacheSubnetGroupName(name)))
                .isInstanceOf(ElastiCacheException.class).hasMessageContaining("in use");
        assertThat(elasticache().deleteReplicationGroup(b -> b.replicationGroupId(name)).replicationGroup().status())
                .isEqualTo("deleting");
        assertThatThrownBy(() -> rawGroup(name)).isInstanceOf(ReplicationGroupNotFoundException.class);
        assertThat(rawMembers(name)).isEmpty();
        elasticache().deleteCacheSubnetGroup(b -> b.cacheSubnetGroupName(name));
        assertThatThrownBy(() -> rawSubnetGroup(name)).isInstanceOf(CacheSubnetGroupNotFoundException.class);
        assertThatThrownBy(() -> elasticache().deleteCacheSubnetGroup(b -> b.cacheSubnetGroupName(name)))
                .isInstanceOf(CacheSubnetGroupNotFoundException.class);
    }
}
