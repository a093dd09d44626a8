package dev.infra.core.apply;

import static dev.infra.core.testing.Harness.change;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.expand.Expander;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.Plan;
import dev.infra.core.state.ResourceState;
import dev.infra.core.testing.FakeCloud;
import dev.infra.core.testing.Fixtures;
import dev.infra.core.testing.Harness;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup (findExisting) before each create: skipped only for a type found by its tags alone, in a plan read in
 * this run, at an address without an intent record; made for every other create.
 */
class LookupBeforeCreateTest {

    private static final String[] TYPES = {"aws_vpc", "aws_internet_gateway", "aws_subnet", "aws_eip",
            "aws_nat_gateway", "aws_route_table", "aws_security_group", "aws_security_group_rule"};

    @TempDir
    Path dir;

    @Test
    void aPlanReadInThisRunNeedsNoLookupForTypesFoundByTheirTagsAlone() {
        Harness h = new Harness(dir, new FakeCloud().foundByTagsAlone(TYPES));

        ApplyResult result = h.applyOk("network");

        assertThat(result.created()).isEqualTo(h.cloud.size());
        assertThat(h.cloud.lookups()).isZero();
    }

    @Test
    void typesFoundByANaturalKeyAreStillLookedUp() {
        Harness h = new Harness(dir);

        ApplyResult result = h.applyOk("network");

        assertThat(h.cloud.lookups()).isEqualTo(result.created()).isPositive();
    }

    /** Between a saved plan and its apply anything may have been made: the lookup finds it, as before. */
    @Test
    void aSavedPlanStillLooksUpAndAdoptsWhatWasMadeSince() {
        Harness h = new Harness(dir, new FakeCloud().foundByTagsAlone(TYPES));
        Topology topology = Fixtures.load("network");
        Plan plan = h.plan("network");
        assertThat(change(plan, "network/vpc").action()).isEqualTo(Action.CREATE);
        FakeCloud.Stored early = h.cloud.put("aws_vpc", vpcSpec(topology));

        ApplyResult result = h.applySaved(plan, topology).result();

        assertThat(result.ok()).isTrue();
        assertThat(h.cloud.lookups()).isEqualTo(plan.changes().stream()
                .filter(c -> c.action() == Action.CREATE).count());
        assertThat(h.cloud.log()).doesNotContain("create network/vpc");
        assertThat(h.cloud.byAddress("network/vpc")).extracting(FakeCloud.Stored::id).containsExactly(early.id());
    }

    /**
     * A create interrupted after it took effect leaves an intent record; when the next plan's listing does not show
     * the resource yet (EC2 lists late), the lookup before the create still finds it: adopted, not made twice.
     */
    @Test
    void anInterruptedCreateIsStillLookedUp() {
        Harness h = new Harness(dir, new FakeCloud().foundByTagsAlone(TYPES).crashAfterCreate("network/vpc"));
        assertThat(h.apply("network").result().ok()).isFalse();
        assertThat(h.state().resources().get("network/vpc").status()).isEqualTo(ResourceState.Status.CREATING);
        String made = h.cloud.byAddress("network/vpc").get(0).id();
        h.cloud.listedLate("network/vpc");
        int before = h.cloud.lookups();

        ApplyResult result = h.applyOk("network");

        assertThat(h.cloud.lookups() - before).isEqualTo(1);
        assertThat(result.adopted()).isEqualTo(1);
        assertThat(h.cloud.byAddress("network/vpc")).extracting(FakeCloud.Stored::id).containsExactly(made);
        assertThat(h.state().resources().get("network/vpc").id()).isEqualTo(made);
    }

    private static Map<String, Object> vpcSpec(Topology topology) {
        return Expander.expand(topology).stream().filter(s -> s.address().equals("network/vpc")).findFirst()
                .orElseThrow().attributes();
    }
}
