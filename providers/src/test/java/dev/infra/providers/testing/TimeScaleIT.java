package dev.infra.providers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.providers.AwsClients;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.ClusterStatus;
import software.amazon.awssdk.services.eks.model.NodegroupStatus;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;
import software.amazon.awssdk.services.eks.model.Update;
import software.amazon.awssdk.services.eks.model.UpdateStatus;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;

/**
 * The launcher's realistic timing (apply_time_scale) through raw SDK calls against an emulator started with
 * INFRA_EMULATOR_TIME_SCALE=60: each slow resource reports AWS's working state right after the call that started
 * the work, and its final state once its typical duration / 60 has passed, not before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeScaleIT {

    private static final int SCALE = 60;
    private static final String REGION = "eu-north-1";

    private AwsClients clients;
    private List<String> subnets;

    @BeforeAll
    void network() {
        URI endpoint = Emulator.startScaled(SCALE);
        clients = Emulator.clients(REGION, endpoint);
        Ec2Client ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.72.0.0/16")).vpc().vpcId();
        subnets = List.of("a", "b").stream().map(az -> ec2.createSubnet(b -> b.vpcId(vpc)
                .cidrBlock("10.72." + (az.equals("a") ? 0 : 1) + ".0/24").availabilityZone(REGION + az))
                .subnet().subnetId()).toList();
    }

    @AfterAll
    void close() {
        clients.close();
    }

    /** NAT gateway: pending for 2 min / 60 after CreateNatGateway, then available; deleting for 1 min / 60. */
    @Test
    void aNatGatewayIsPendingForItsScaledDuration() {
        Ec2Client ec2 = clients.ec2();
        String eip = ec2.allocateAddress(b -> b.domain("vpc")).allocationId();
        long start = System.nanoTime();
        String id = ec2.createNatGateway(b -> b.subnetId(subnets.get(0)).allocationId(eip)).natGateway().natGatewayId();
        BooleanSupplier available = () -> ec2.describeNatGateways(b -> b.natGatewayIds(id)).natGateways().get(0)
                .state() == NatGatewayState.AVAILABLE;

        assertThat(ec2.describeNatGateways(b -> b.natGatewayIds(id)).natGateways().get(0).state())
                .isEqualTo(NatGatewayState.PENDING);
        assertReadyAfter(available, start, Duration.ofMinutes(2));

        long deleted = System.nanoTime();
        ec2.deleteNatGateway(b -> b.natGatewayId(id));
        assertThat(ec2.describeNatGateways(b -> b.natGatewayIds(id)).natGateways().get(0).state())
                .isEqualTo(NatGatewayState.DELETING);
        assertReadyAfter(() -> ec2.describeNatGateways(b -> b.natGatewayIds(id)).natGateways().get(0).state()
                == NatGatewayState.DELETED, deleted, Duration.ofMinutes(1));
    }

    /** ALB: provisioning for 3 min / 60, then active. */
    @Test
    void aLoadBalancerIsProvisioningForItsScaledDuration() {
        ElasticLoadBalancingV2Client elb = clients.elbv2();
        long start = System.nanoTime();
        // Internal: an internet-facing one needs an internet gateway in the VPC, as on AWS.
        String arn = elb.createLoadBalancer(b -> b.name("timed").subnets(subnets)
                        .scheme(LoadBalancerSchemeEnum.INTERNAL)).loadBalancers().get(0)
                .loadBalancerArn();
        BooleanSupplier active = () -> elb.describeLoadBalancers(b -> b.loadBalancerArns(arn)).loadBalancers().get(0)
                .state().code() == LoadBalancerStateEnum.ACTIVE;

        assertThat(active.getAsBoolean()).isFalse();
        assertReadyAfter(active, start, Duration.ofMinutes(3));
    }

    /**
     * EKS cluster CREATING for 10 min / 60 (a node group is refused meanwhile, as AWS refuses it), then a version
     * update InProgress for 10 min / 60; ElastiCache group
     * creating for 10 min / 60, OpenSearch domain not Created, Processing and without an endpoint for 20 min / 60.
     * Deleted, each stays visible in its deleting state for its delete duration / 60 (node group and cluster 5 min,
     * group 5 min, domain 10 min), and a cluster whose node group is being deleted cannot be deleted yet.
     */
    @Test
    void clustersGroupsAndDomainsTakeTheirScaledDurations() {
        EksClient eks = clients.client(EksClient.class, EksClient::builder);
        ElastiCacheClient cache = clients.client(ElastiCacheClient.class, ElastiCacheClient::builder);
        OpenSearchClient search = clients.client(OpenSearchClient.class, OpenSearchClient::builder);
        long start = System.nanoTime();
        eks.createCluster(b -> b.name("timed").version("1.30").roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds(subnets)));
        cache.createReplicationGroup(b -> b.replicationGroupId("timed").replicationGroupDescription("timed")
                .engine("redis").cacheNodeType("cache.t4g.small"));
        search.createDomain(b -> b.domainName("timed"));

        assertThat(eks.describeCluster(b -> b.name("timed")).cluster().status()).isEqualTo(ClusterStatus.CREATING);
        assertThat(cache.describeReplicationGroups(b -> b.replicationGroupId("timed")).replicationGroups().get(0)
                .status()).isEqualTo("creating");
        DomainStatus domain = search.describeDomain(b -> b.domainName("timed")).domainStatus();
        assertThat(List.of(domain.created(), domain.processing())).containsExactly(false, true);
        assertThat(domain.endpoint()).isNull();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> eks.createNodegroup(b -> b.clusterName("timed")
                .nodegroupName("ng").nodeRole("arn:aws:iam::123456789012:role/node").subnets(subnets))))
                .hasMessageContaining("is not in ACTIVE status");

        assertReadyAfter(() -> eks.describeCluster(b -> b.name("timed")).cluster().status() == ClusterStatus.ACTIVE,
                start, Duration.ofMinutes(10));
        long upgraded = System.nanoTime();
        Update update = eks.updateClusterVersion(b -> b.name("timed").version("1.31")).update();
        assertThat(update.status()).isEqualTo(UpdateStatus.IN_PROGRESS);
        assertReadyAfter(() -> eks.describeUpdate(b -> b.name("timed").updateId(update.id())).update().status()
                == UpdateStatus.SUCCESSFUL, upgraded, Duration.ofMinutes(10));
        assertReadyAfter(() -> "available".equals(cache.describeReplicationGroups(b -> b.replicationGroupId("timed"))
                .replicationGroups().get(0).status()), start, Duration.ofMinutes(10));
        assertReadyAfter(() -> {
            DomainStatus d = search.describeDomain(b -> b.domainName("timed")).domainStatus();
            return d.created() && !d.processing() && d.endpoint() != null;
        }, start, Duration.ofMinutes(20));

        long created = System.nanoTime();
        eks.createNodegroup(b -> b.clusterName("timed").nodegroupName("ng").nodeRole("arn:aws:iam::123456789012:role/node")
                .subnets(subnets));
        assertReadyAfter(() -> eks.describeNodegroup(b -> b.clusterName("timed").nodegroupName("ng")).nodegroup().status()
                == NodegroupStatus.ACTIVE, created, Duration.ofMinutes(5));
        long deleted = System.nanoTime();
        eks.deleteNodegroup(b -> b.clusterName("timed").nodegroupName("ng"));
        cache.deleteReplicationGroup(b -> b.replicationGroupId("timed"));
        search.deleteDomain(b -> b.domainName("timed"));
        assertThat(eks.describeNodegroup(b -> b.clusterName("timed").nodegroupName("ng")).nodegroup().status())
                .isEqualTo(NodegroupStatus.DELETING);
        assertThat(cache.describeReplicationGroups(b -> b.replicationGroupId("timed")).replicationGroups().get(0)
                .status()).isEqualTo("deleting");
        assertThat(search.describeDomain(b -> b.domainName("timed")).domainStatus().deleted()).isTrue();
        assertThatThrownBy(() -> eks.deleteCluster(b -> b.name("timed"))).isInstanceOf(ResourceInUseException.class);
        assertReadyAfter(() -> gone(() -> eks.describeNodegroup(b -> b.clusterName("timed").nodegroupName("ng"))),
                deleted, Duration.ofMinutes(5));
        assertReadyAfter(() -> gone(() -> cache.describeReplicationGroups(b -> b.replicationGroupId("timed"))),
                deleted, Duration.ofMinutes(5));

        long clusterDeleted = System.nanoTime();
        eks.deleteCluster(b -> b.name("timed"));
        assertThat(eks.describeCluster(b -> b.name("timed")).cluster().status()).isEqualTo(ClusterStatus.DELETING);
        assertReadyAfter(() -> gone(() -> eks.describeCluster(b -> b.name("timed"))), clusterDeleted,
                Duration.ofMinutes(5));
        assertReadyAfter(() -> gone(() -> search.describeDomain(b -> b.domainName("timed"))), deleted,
                Duration.ofMinutes(10));
    }

    /** The call answers NotFound: the resource is gone. */
    private static boolean gone(Runnable describe) {
        try {
            describe.run();
            return false;
        } catch (software.amazon.awssdk.services.eks.model.ResourceNotFoundException
                 | software.amazon.awssdk.services.opensearch.model.ResourceNotFoundException
                 | software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException e) {
            return true;
        }
    }

    /** Reaches {@code ready} no sooner than {@code aws} / SCALE after {@code start}, and within 3 s of it. */
    private static void assertReadyAfter(BooleanSupplier ready, long start, Duration aws) {
        Duration scaled = aws.dividedBy(SCALE);
        Duration deadline = scaled.plusSeconds(3);
        while (!ready.getAsBoolean()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("still not ready").isLessThan(deadline);
            sleep();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ready after").isGreaterThanOrEqualTo(
                scaled.minusMillis(50));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
