package dev.infra.core.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.stack.Rewrite.How;
import dev.infra.core.stack.Rewrite.Row;
import dev.infra.core.testing.Fixtures;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replicate rewrite table, read off the two regions' expansions. */
class RewriteTest {

    static final Topology PRIMARY = Fixtures.load("network").withReplicas(List.of("eu-west-1"));
    static final Topology REPLICA = PRIMARY.asReplica("eu-west-1", "10.1.0.0/16", List.of("a", "b", "c"),
            List.of("eu-west-1"));
    static final SourceLocation AT = SourceLocation.wholeFile("infra.yaml");

    private static ResourceSpec spec(String address, String type, Map<String, Object> attributes) {
        return ResourceSpec.of(address, type, attributes, AT);
    }

    private static List<Row> rows(List<ResourceSpec> primary, List<ResourceSpec> replica) {
        return Rewrite.of(primary, replica, PRIMARY, REPLICA).rows();
    }

    @Test
    void theTableNamesBothRegions() {
        Rewrite r = Rewrite.of(List.of(), List.of(), PRIMARY, REPLICA);
        assertThat(r.primary()).isEqualTo("us-east-1");
        assertThat(r.replica()).isEqualTo("eu-west-1");
        assertThat(r.rows()).isEmpty();
    }

    @Test
    void aPlainCopyOfTheNetworkSaysItsBlockAndZones() {
        List<ResourceSpec> network = List.of(spec("network/vpc", "aws_vpc", Map.of()),
                spec("network/subnet.a", "aws_subnet", Map.of("vpcId", Ref.id("network/vpc"))));

        assertThat(rows(network, network)).containsExactly(
                new Row("network", How.COPIED, 2, "VPC 10.0.0.0/16 → 10.1.0.0/16, zones a b c"));
    }

    @Test
    void aCopyOfAnotherComponentHasNoDetail() {
        List<ResourceSpec> sg = List.of(spec("egress-proxy/group", "aws_autoscaling_group", Map.of("name", "shop-egress")));

        assertThat(rows(sg, sg)).containsExactly(new Row("egress-proxy", How.COPIED, 1, ""));
    }

    @Test
    void aGlobalNameMadeRegionalIsRenamedAGivenOneIsCopied() {
        List<Row> rows = rows(
                List.of(spec("bucket.audit", "aws_s3_bucket", Map.of("bucket", "shop-audit-us-east-1")),
                        spec("bucket.logs", "aws_s3_bucket", Map.of("bucket", "acme-logs")),
                        spec("cluster.apps/cluster", "aws_eks_cluster", Map.of("name", "shop-apps"))),
                List.of(spec("bucket.audit", "aws_s3_bucket", Map.of("bucket", "shop-audit-eu-west-1")),
                        spec("bucket.logs", "aws_s3_bucket", Map.of("bucket", "acme-logs")),
                        spec("cluster.apps/cluster", "aws_eks_cluster", Map.of("name", "shop-apps-eu-west-1"))));

        assertThat(rows).containsExactly(
                new Row("bucket.audit", How.RENAMED, 1, "shop-audit-us-east-1 → shop-audit-eu-west-1"),
                new Row("bucket.logs", How.COPIED, 1, ""),
                new Row("cluster.apps", How.RENAMED, 1, "shop-apps → shop-apps-eu-west-1"));
    }

    /** A bucket named by a ref (a policy's or a rule's) has no name of its own to compare. */
    @Test
    void aBucketNamedByARefIsNotRenamed() {
        ResourceSpec policy = spec("bucket.audit/policy", "aws_s3_bucket_policy",
                Map.of("bucket", Ref.to("bucket.audit", "bucket")));

        assertThat(rows(List.of(policy), List.of(policy))).containsExactly(new Row("bucket.audit", How.COPIED, 1, ""));
    }

    @Test
    void whatTheReplicaUsesOfThePrimarysOrHasNoneOfIsShared() {
        List<Row> rows = rows(
                List.of(spec("cluster.apps/node-role", "aws_iam_role", Map.of("name", "shop-apps-node")),
                        spec("monitoring/trail", "aws_cloudtrail_trail", Map.of("name", "shop")),
                        spec("cluster.apps/nodes", "aws_eks_node_group", Map.of())),
                List.of(spec("cluster.apps/nodes", "aws_eks_node_group",
                        Map.of("nodeRoleArn", Ref.in("us-east-1", "cluster.apps/node-role", "arn")))));

        assertThat(rows).containsExactly(
                new Row("cluster.apps", How.COPIED, 1, ""),
                new Row("cluster.apps", How.SHARED, 1, "cluster.apps/node-role (us-east-1's)"),
                new Row("monitoring", How.SHARED, 1, "monitoring/trail (us-east-1's)"));
    }

    /** The replica has a rule of its own under another address (naming its own block): not the primary's, shared. */
    @Test
    void whatTheReplicaHasOfTheKindUnderAnotherAddressIsNotShared() {
        List<Row> rows = rows(
                List.of(spec("network/sg.nodes/rule.from-10.0.0.0/16", "aws_security_group_rule", Map.of())),
                List.of(spec("network/sg.nodes/rule.from-10.1.0.0/16", "aws_security_group_rule", Map.of())));

        assertThat(rows).containsExactly(
                new Row("network", How.COPIED, 1, "VPC 10.0.0.0/16 → 10.1.0.0/16, zones a b c"));
    }

    @Test
    void linkTypesAreLinkedWithTheirKind() {
        List<Row> rows = rows(List.of(), List.of(
                spec("table.orders", "aws_dynamodb_table_replica", Map.of()),
                spec("encryption/key", "aws_kms_replica_key", Map.of()),
                spec("bucket.static/replication", "aws_s3_bucket_replication_rule", Map.of()),
                spec("cache.sessions/auth-token", "aws_secretsmanager_secret_replica", Map.of())));

        assertThat(rows).containsExactly(
                new Row("bucket.static", How.LINKED, 1, "bucket.static/replication: replication rule on the primary's bucket"),
                new Row("cache.sessions", How.LINKED, 1, "cache.sessions/auth-token: replica of the primary's secret"),
                new Row("encryption", How.LINKED, 1, "encryption/key: replica of the multi-Region key"),
                new Row("table.orders", How.LINKED, 1, "table.orders: replica of the global table"));
    }

    /** A record or a replication group is a link only when it names the primary's zone or Global Datastore. */
    @Test
    void recordsAndReplicationGroupsAreLinkedOnlyByARefToThePrimary() {
        List<ResourceSpec> primary = List.of(
                spec("dns/private-record.api", "aws_route53_record", Map.of("zoneId", Ref.id("dns/private-zone"))),
                spec("cache.sessions/replication-group", "aws_elasticache_replication_group",
                        Map.of("replicationGroupId", "shop-sessions")));
        List<ResourceSpec> replica = List.of(
                spec("dns/record.www", "aws_route53_record", Map.of("zoneId", Ref.in("us-east-1", "dns/zone", "id"))),
                spec("dns/private-record.api", "aws_route53_record", Map.of("zoneId", Ref.id("dns/private-zone"))),
                spec("cache.sessions/replication-group", "aws_elasticache_replication_group",
                        Map.of("globalReplicationGroupId", Ref.in("us-east-1", "cache.sessions/global", "id"))),
                spec("cache.other/replication-group", "aws_elasticache_replication_group",
                        Map.of("globalReplicationGroupId", "given")));

        assertThat(rows(primary, replica)).containsExactly(
                new Row("cache.other", How.COPIED, 1, ""),
                new Row("cache.sessions", How.LINKED, 1,
                        "cache.sessions/replication-group: secondary of the primary's Global Datastore"),
                new Row("dns", How.COPIED, 1, ""),
                new Row("dns", How.LINKED, 1, "dns/record.www: routed record in the primary's zone"));
    }

    /** Rows by component, each component's in the order copied, renamed, shared, linked; details joined in the
     * expansions' order. */
    @Test
    void rowsGoByComponentThenHowWithTheirCountsAndDetailsJoined() {
        List<Row> rows = rows(
                List.of(spec("monitoring/trail", "aws_cloudtrail_trail", Map.of()),
                        spec("monitoring/role", "aws_iam_role", Map.of()),
                        spec("monitoring/archive", "aws_s3_bucket", Map.of("bucket", "shop-logs-us-east-1")),
                        spec("monitoring/group", "aws_cloudwatch_log_group", Map.of("name", "/infra/shop"))),
                List.of(spec("monitoring/group", "aws_cloudwatch_log_group", Map.of("name", "/infra/shop")),
                        spec("monitoring/archive", "aws_s3_bucket", Map.of("bucket", "shop-logs-eu-west-1")),
                        spec("monitoring/dashboard", "aws_cloudwatch_dashboard", Map.of())));

        assertThat(rows).containsExactly(
                new Row("monitoring", How.COPIED, 2, ""),
                new Row("monitoring", How.RENAMED, 1, "shop-logs-us-east-1 → shop-logs-eu-west-1"),
                new Row("monitoring", How.SHARED, 2, "monitoring/trail (us-east-1's); monitoring/role (us-east-1's)"));
    }

    /** The seed, as replicate plans it: what a reviewer checks first in the table. */
    @Test
    void theSeedsReplicaLinksItsDataSharesItsGlobalsAndMovesItsNetwork() {
        Topology seed = TopologyLoader.load(Path.of("../samples/seed-architecture.yaml")).topology();
        Topology p = seed.withReplicas(List.of("eu-west-2")).named("a1b2c3");
        Topology r = p.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b", "c"), List.of("eu-west-2"));

        List<Row> rows = Rewrite.of(Engine.graph(p).specs().values(), Engine.graph(r).specs().values(), p, r).rows();

        assertThat(rows).contains(
                new Row("table.orders", How.LINKED, 1, "table.orders: replica of the global table"),
                new Row("encryption", How.LINKED, 1, "encryption/key: replica of the multi-Region key"),
                new Row("dns", How.SHARED, 1, "dns/zone (us-east-1's)"),
                new Row("dns", How.LINKED, 1, "dns/record.www: routed record in the primary's zone"),
                new Row("bucket.static", How.RENAMED, 1, "shop-static-us-east-1-a1b2c3 → shop-static-eu-west-2-a1b2c3"),
                new Row("bucket.static", How.SHARED, 1, "bucket.static/replication-role (us-east-1's)"),
                new Row("bucket.static", How.LINKED, 1,
                        "bucket.static/replication: replication rule on the primary's bucket"));
        assertThat(rows).filteredOn(row -> row.component().equals("network")).singleElement().satisfies(row -> {
            assertThat(row.how()).isEqualTo(How.COPIED);
            assertThat(row.detail()).isEqualTo("VPC 10.0.0.0/16 → 10.1.0.0/16, zones a b c");
        });
        assertThat(rows).filteredOn(row -> row.how() == How.SHARED).extracting(Row::detail)
                .anySatisfy(d -> assertThat(d).contains("cluster.apps/node-role (us-east-1's)"))
                .anySatisfy(d -> assertThat(d).contains("monitoring/trail (us-east-1's)"));
    }
}
