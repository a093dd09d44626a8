package dev.infra.providers.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.catalogue.Catalogue;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.expand.Expander;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.core.topology.Topology;
import dev.infra.providers.AwsCatalogue;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsProviders;
import dev.infra.providers.AwsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every spec the expansion makes, for the seed in each of its forms and for small topologies, keeps its type's entry
 * in the catalogue: an expander that writes an attribute no provider declares, of the wrong kind, or a value AWS
 * refuses, fails here, not in a user's plan.
 */
class CatalogueTest {

    static final Catalogue CATALOGUE = AwsCatalogue.catalogue();
    static final List<String> REPLICAS = List.of("eu-west-2");

    @TempDir
    Path dir;

    /** The seed as a single region, as the primary of a replicated stack, as its replica, copied to another region. */
    static List<Topology> forms(Topology seed) {
        Topology named = seed.named("a1b2c3");
        return List.of(seed, named.withReplicas(REPLICAS),
                named.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b", "c"), REPLICAS), seed.inRegion("eu-west-1"));
    }

    static List<ResourceSpec> specs(List<Topology> topologies) {
        return topologies.stream().flatMap(t -> Expander.expand(t).stream()).toList();
    }

    @Test
    void theRegistryAndTheCatalogueHoldTheSameEntries() {
        try (AwsClients clients = AwsClients.create(AwsSettings.of("eu-west-1"))) {
            ProviderRegistry registry = AwsProviders.registry(clients);
            assertThat(registry.catalogue()).isEqualTo(CATALOGUE);
            for (ResourceProvider p : registry.all()) {
                ResourceType entry = p.entry().orElseThrow();
                assertThat(p.schema()).as(p.type()).isEqualTo(entry.schema());
                assertThat(p.singleton()).as(p.type()).isEqualTo(entry.has(Trait.SINGLETON));
            }
        }
    }

    /**
     * The types whose lookup before a create the apply skips after a plan of the same run: EC2's tagged types, whose
     * findExisting is their stack listing narrowed to the address tag. A type found by a name is not among them.
     */
    @Test
    void onlyEc2sTaggedTypesAreFoundByTheirTagsAlone() {
        try (AwsClients clients = AwsClients.create(AwsSettings.of("eu-west-1"))) {
            Set<String> byTags = AwsProviders.registry(clients).all().stream().filter(ResourceProvider::foundByTagsAlone)
                    .map(ResourceProvider::type).collect(Collectors.toSet());
            assertThat(byTags).containsExactlyInAnyOrder("aws_ebs_volume", "aws_eip", "aws_flow_log", "aws_instance",
                    "aws_internet_gateway", "aws_launch_template", "aws_nat_gateway", "aws_route_table",
                    "aws_security_group", "aws_security_group_rule", "aws_subnet", "aws_vpc");
        }
    }

    @Test
    void everySpecOfTheSeedAndOfSmallTopologiesKeepsItsEntry() {
        List<Topology> all = new ArrayList<>(forms(Topologies.seed()));
        all.addAll(forms(Topologies.seedWith(dir, "domain", Map.of(
                "(?m)^    scheme: internet-facing$", "    scheme: internet-facing\n    domain: www.shop.example.com",
                "routing: failover", "routing: latency"))));
        // What the seed leaves out is optional: a table without sort key or TTL, a rule without description.
        all.addAll(forms(Topologies.seedWith(dir, "sparse", Map.of(
                "(?m)^    sortKey: \\{name: createdAt, type: N\\}\n", "",
                "(?m)^    ttl: expiresAt\n", "",
                "(?m)^  natGateways: one-per-zone$", String.join("\n", "  natGateways: one-per-zone", "  securityGroups:",
                        "    bastion:", "      ingress:", "        - {protocol: tcp, ports: 22, cidr: 10.0.0.0/8}")))));
        Topologies.small().forEach(f -> all.add(Topologies.load(f)));
        List<ResourceSpec> specs = specs(all);
        assertThat(CATALOGUE.problems(specs)).extracting(Diagnostic::render).isEmpty();
        // Every type is expanded by some topology here, so every entry is checked against a spec.
        assertThat(specs.stream().map(ResourceSpec::type).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(CATALOGUE.types().keySet());
    }

    /** The traits the expansion acts on (core keeps its own lists of them) agree with the entries. */
    @Test
    void theExpansionFollowsTheTraits() {
        List<Topology> forms = forms(Topologies.seed());
        for (ResourceSpec s : specs(forms)) {
            ResourceType type = CATALOGUE.types().get(s.type());
            assertThat(s.attributes().containsKey(ResourceType.TAGS)).as(s.address()).isEqualTo(type.has(Trait.TAGGED));
            assertThat(s.tags().containsKey(LiveResource.REGION_TAG)).as(s.address())
                    .isEqualTo(type.has(Trait.ACCOUNT_WIDE));
        }
        Set<String> replicaTypes = Expander.expand(forms.get(2)).stream().map(ResourceSpec::type).collect(Collectors.toSet());
        Set<String> primaryTypes = specs(List.of(forms.get(0), forms.get(1))).stream().map(ResourceSpec::type)
                .collect(Collectors.toSet());
        CATALOGUE.types().values().forEach(t -> {
            if (t.has(Trait.SHARED_BY_REPLICAS)) {
                assertThat(replicaTypes).as(t.name()).doesNotContain(t.name());
            }
            if (t.has(Trait.LINKED_TO_PRIMARY)) {
                assertThat(replicaTypes).as(t.name()).contains(t.name());
                assertThat(primaryTypes).as(t.name()).doesNotContain(t.name());
            }
        });
    }
}
