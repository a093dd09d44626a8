package dev.infra.providers.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.expand.Expander;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names infra derives fit AWS's limits whatever the stack and component names (31 characters each, the most
 * validation accepts), shortened with a stable hash only when they would not; the names of today's stacks stay.
 */
class DerivedNamesTest {

    /** The seed's derived names before names were fitted: a stack already applied is not replaced. */
    static final String[] SEED_NAMES = {
            "cluster.apps/cluster-role", "shop-apps-cluster-us-east-1",
            "cluster.apps/node-role", "shop-apps-node-us-east-1",
            "cluster.apps/node-instance-profile", "shop-apps-node-profile-us-east-1",
            "cluster.apps/cluster", "shop-apps",
            "cluster.apps/node-group.general", "shop-apps-general",
            "load-balancer.public/alb", "shop-public",
            "load-balancer.public/target-group", "shop-public-30080",
            "load-balancer.internal/alb", "shop-internal",
            "load-balancer.internal/target-group", "shop-internal-30080",
            "firewall/log-bucket", "aws-waf-logs-shop-us-east-1",
            "bucket.static", "shop-static-us-east-1",
            "bucket.elk-logs", "shop-elk-logs-us-east-1",
            "bucket.audit", "shop-audit-us-east-1",
            "cache.sessions/replication-group", "shop-sessions",
            "monitoring/log-search", "shop-logs",
            "monitoring/log-search/snapshot-role", "shop-log-search-snapshots",
            "monitoring/lb-log-bucket", "shop-lb-logs-us-east-1"};

    @TempDir
    Path dir;

    static Map<String, ResourceSpec> byAddress(Topology t) {
        return Expander.expand(t).stream().collect(Collectors.toMap(ResourceSpec::address, Function.identity()));
    }

    static Object nameOf(ResourceSpec s) {
        for (String attribute : List.of("name", "bucket", "replicationGroupId", "groupName")) {
            if (s.attributes().containsKey(attribute)) {
                return s.attributes().get(attribute);
            }
        }
        return null;
    }

    @Test
    void theSeedKeepsItsNames() {
        Map<String, ResourceSpec> specs = byAddress(Topologies.seed());
        for (int i = 0; i < SEED_NAMES.length; i += 2) {
            assertThat(nameOf(specs.get(SEED_NAMES[i]))).as(SEED_NAMES[i]).isEqualTo(SEED_NAMES[i + 1]);
        }
    }

    @Test
    void withTheLongestNamesEveryDerivedNameFitsItsRule() {
        Topology seed = Topologies.seedWith(dir, "long", Topologies.longNames());
        assertThat(seed.stack()).hasSize(31);
        List<ResourceSpec> specs = CatalogueTest.specs(CatalogueTest.forms(seed));
        assertThat(CatalogueTest.CATALOGUE.problems(specs)).extracting(Diagnostic::render).isEmpty();

        Map<String, ResourceSpec> primary = byAddress(seed);
        String lb = "load-balancer." + Topologies.LONG_NAMES.get("internal");
        String alb = (String) nameOf(primary.get(lb + "/alb"));
        // The start of the name and a hash of all of it: stable, and apart from the other load balancer's.
        assertThat(alb).hasSize(32).startsWith("payments-platform-pro")
                .isEqualTo(AwsRules.LOAD_BALANCER.fit(Topologies.LONG_STACK + "-" + Topologies.LONG_NAMES.get("internal")))
                .isNotEqualTo(nameOf(primary.get("load-balancer." + Topologies.LONG_NAMES.get("public") + "/alb")));
        assertThat((String) nameOf(primary.get(lb + "/target-group"))).hasSize(32);
        assertThat((String) nameOf(primary.get("monitoring/log-search"))).hasSize(28);
        assertThat((String) nameOf(primary.get("cache." + Topologies.LONG_NAMES.get("sessions") + "/replication-group")))
                .hasSize(40);
        assertThat((String) nameOf(primary.get("bucket." + Topologies.LONG_NAMES.get("audit")))).hasSize(63);
        assertThat((String) nameOf(byAddress(seed.named("a1b2c3")).get("firewall/log-bucket"))).startsWith("aws-waf-logs-")
                .hasSizeLessThanOrEqualTo(63);
        // Names that fit are left alone, however long the stack.
        assertThat(nameOf(primary.get("monitoring/trail"))).isEqualTo(Topologies.LONG_STACK + "-trail");
    }
}
