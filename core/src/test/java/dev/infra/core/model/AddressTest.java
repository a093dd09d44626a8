package dev.infra.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.expand.Expander;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The text form is the one state files, plans and tags hold: every address the seed expands to reads back as itself. */
class AddressTest {

    static final Topology SEED = TopologyLoader.load(Path.of("../samples/seed-architecture.yaml")).topology();

    /** The seed alone, as the primary of a replicated stack, and as its replica: every shape an address takes. */
    private static Set<String> seedAddresses() {
        Topology primary = SEED.withReplicas(List.of("eu-west-2")).named("a1b2c3");
        List<Topology> all = List.of(SEED, primary,
                primary.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b", "c"), List.of("eu-west-2")));
        Set<String> out = new TreeSet<>();
        for (Topology t : all) {
            for (ResourceSpec s : Expander.expand(t)) {
                out.add(s.address());
                out.addAll(s.dependsOn());
                Values.refs(s.attributes()).forEach(r -> out.add(r.address()));
            }
        }
        return out;
    }

    @Test
    void everyAddressOfTheSeedReadsBackAsItself() {
        Set<String> addresses = seedAddresses();
        assertThat(addresses).hasSizeGreaterThan(140);
        List<String> depths = new ArrayList<>();
        for (String text : addresses) {
            Address a = Address.parse(text);
            assertThat(a.toString()).isEqualTo(text);
            assertThat(Address.parse(a.toString())).isEqualTo(a);
            assertThat(a.path()).hasSize(text.split("/").length).first().isEqualTo(a.component());
            depths.add(a.path().size() + (a.key() == null ? "" : "k"));
        }
        // Components alone (bucket.static), kinds with and without keys, rules three and four segments deep.
        assertThat(depths).contains("1k", "2", "2k", "3", "3k", "4");
    }

    @Test
    void factoriesSpellTheTextOfToday() {
        Address network = Address.of("network");
        assertThat(network.child("vpc")).hasToString("network/vpc");
        assertThat(network.child("subnet", "private-a")).hasToString("network/subnet.private-a");
        assertThat(Address.of("bucket", "static")).hasToString("bucket.static");
        assertThat(Address.of("bucket", "static").child("replication-role")).hasToString("bucket.static/replication-role");
        assertThat(Address.of("access-proxy").child("security-group").child("rule", "ingress-tcp-443-0.0.0.0_0"))
                .hasToString("access-proxy/security-group/rule.ingress-tcp-443-0.0.0.0_0");
    }

    @Test
    void aSegmentSplitsAtItsFirstDot() {
        Address rule = Address.parse("egress-proxy/security-group/rule.ingress-tcp-3128-10.0.0.0_16");
        assertThat(rule.kind()).isEqualTo("rule");
        assertThat(rule.key()).isEqualTo("ingress-tcp-3128-10.0.0.0_16");
        assertThat(rule.parent()).isEqualTo(Address.of("egress-proxy").child("security-group"));
        assertThat(rule.component()).isEqualTo(Address.of("egress-proxy"));

        Address group = Address.parse("cluster.apps/node-group.general");
        assertThat(group.component()).isEqualTo(Address.of("cluster", "apps"));
        assertThat(group.segment()).isEqualTo("node-group.general");
        assertThat(Address.parse("bucket.audit").component()).isEqualTo(Address.parse("bucket.audit"));
    }

    @Test
    void whatIsNoAddressIsRefused() {
        for (String text : List.of("", "network//vpc", "network/", "/vpc", "network/.a", "network/subnet.")) {
            assertThatThrownBy(() -> Address.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Address.of("net.work")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refsNameTheTextForm() {
        Address vpc = Address.of("network").child("vpc");
        assertThat(Ref.id(vpc)).isEqualTo(Ref.id("network/vpc"));
        assertThat(Ref.to(vpc, "cidrBlock")).isEqualTo(Ref.to("network/vpc", "cidrBlock"));
        assertThat(Ref.in("us-east-1", vpc, "id")).hasToString("${us-east-1:network/vpc.id}");
    }
}
