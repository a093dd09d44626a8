package dev.infra.providers.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.stack.Engine;
import dev.infra.core.topology.Topology;
import dev.infra.providers.AwsCatalogue;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsSettings;
import dev.infra.providers.eks.ClusterProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What AWS would refuse halfway through an apply is refused by validate (and so by every plan), or by the plan of
 * {@code replicate}, before any call, with every problem at its YAML line: the expansion is checked against the
 * catalogue ({@code Engine.graph} with the catalogue, which plans use too) together with the replication rules.
 * The EKS version jump and the other rules that depend on what a resource is now are refused by the plan
 * ({@code ResourceProvider.refusals}; PlanRefusalsIT shows them against the emulator).
 */
class RefusedBeforeAnythingChangesTest {

    @TempDir
    Path dir;

    /** The seed with the longest names, punctuation AWS refuses in descriptions, a small global cache, a provisioned table. */
    Topology refused() {
        Map<String, String> changes = new LinkedHashMap<>(Topologies.longNames());
        changes.put("(?m)^  natGateways: one-per-zone$", String.join("\n",
                "  natGateways: one-per-zone",
                "  securityGroups:",
                "    bastion:",
                "      description: \"Teleport's bastion hosts\"",
                "      ingress:",
                "        - {protocol: tcp, ports: 22, cidr: 10.0.0.0/8, description: \"SSH \u2014 from the office\"}"));
        changes.put("nodeType: cache.r7g.large", "nodeType: cache.t4g.small");
        changes.put("billing: on-demand", "billing: provisioned\n    capacity: {read: 5, write: 5}");
        return Topologies.seedWith(dir, "refused", changes);
    }

    static List<String> refusals(Topology t) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> Engine.graph(t, AwsCatalogue.catalogue()));
        assertThat(e).as("refused").isNotNull();
        return e.diagnostics().stream().map(Diagnostic::render).toList();
    }

    static final String AWS_ALLOWS = "; AWS allows only a-z, A-Z, 0-9, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *";

    static List<String> descriptions(String file) {
        return List.of(file + ":17:7: error: network.securityGroups.bastion: the security group description 'Teleport's"
                        + " bastion hosts' holds '''" + AWS_ALLOWS,
                file + ":19:11: error: network.securityGroups.bastion: the security group description 'SSH \u2014 from the"
                        + " office' holds '\u2014'" + AWS_ALLOWS);
    }

    @Test
    void validateRefusesWhatAwsRefusesOfAValueAllAtOnceAtTheirLines() {
        Topology t = refused();
        assertThat(refusals(t)).containsExactlyElementsOf(descriptions(t.network().securityGroups().get("bastion").at().file()));
    }

    @Test
    void theLongestNamesAloneAreNotRefused() {
        assertThat(Engine.graph(Topologies.seedWith(dir, "long", Topologies.longNames()), AwsCatalogue.catalogue()).specs())
                .hasSizeGreaterThan(100);
    }

    @Test
    void replicateRefusesWhatAwsWouldNotReplicateWithTheRest() {
        Topology t = refused();
        String file = t.network().securityGroups().get("bastion").at().file();
        List<String> refusals = refusals(t.withReplicas(List.of("eu-west-2")));
        assertThat(refusals).hasSize(4).containsAll(descriptions(file));
        assertThat(refusals).anySatisfy(r -> assertThat(r).startsWith(file + ":81:15: error: caches."
                + "sessions-of-the-payment-clients.nodeType: a global cache is an ElastiCache Global Datastore, which needs"));
        assertThat(refusals).anySatisfy(r -> assertThat(r).startsWith(file + ":70:14: error: tables."
                + "orders-of-the-payment-customers.billing: a table of a stack with replicas is a DynamoDB global table"));
    }

    /** What depends on the cluster as it is now is the plan's to refuse: the provider says why (PlanRefusalsIT plans it). */
    @Test
    void anEksVersionJumpIsRefusedByThePlanNamingTheNextVersion() {
        try (AwsClients clients = AwsClients.create(AwsSettings.of("eu-west-1"))) {
            LiveResource cluster = LiveResource.of("shop-apps", "cluster.apps/cluster", Map.of("version", "1.29"));
            assertThat(new ClusterProvider(clients).refusals(cluster, Map.of("version", "1.31"))).singleElement()
                    .satisfies(r -> assertThat(r).startsWith("version 1.29 → 1.31: EKS refuses this").endsWith(
                            "a cluster goes up one minor version per update; set version: \"1.30\", apply, and go on from"
                                    + " there"));
        }
    }
}
