package dev.infra.core.plan;

import static dev.infra.core.testing.Harness.actions;
import static dev.infra.core.testing.Harness.change;
import static dev.infra.core.testing.Harness.changed;
import static dev.infra.core.testing.Harness.withAction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.apply.ApplyResult;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.testing.FakeCloud;
import dev.infra.core.testing.Harness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resources tagged with the stack that state does not know (an apply killed between create and state
 * write, or a lost state file) are adopted, not created twice; tagged resources nobody wants are deleted.
 */
class AdoptionTest {

    private static final int RESOURCES = 24;

    @TempDir
    Path dir;

    @Test
    void lostStateIsRebuiltByAdoptionAndDuplicatesAndLeftoversAreDeleted() throws IOException {
        Harness h = new Harness(dir);
        h.applyOk("network");
        State applied = h.state();
        Files.delete(h.backend.file());
        FakeCloud.Stored vpc = h.cloud.get(applied.resources().get("network/vpc").id()).orElseThrow();
        FakeCloud.Stored duplicate = h.cloud.put("aws_vpc", vpc.attributes());
        FakeCloud.Stored leftover = h.cloud.put("aws_subnet", Map.of("cidrBlock", "10.0.240.0/20", "vpcId", duplicate.id(),
                "tags", Map.of("infra:stack", "shop", "infra:address", "network/subnet.private-z")));
        FakeCloud.Stored otherStack = h.cloud.put("aws_subnet", Map.of("cidrBlock", "10.9.0.0/20",
                "tags", Map.of("infra:stack", "other", "infra:address", "network/subnet.private-a")));
        // A tag changed outside infra: adopting the subnet updates it.
        FakeCloud.Stored subnet = h.cloud.get(applied.resources().get("network/subnet.public-b").id()).orElseThrow();
        Map<String, Object> attrs = new TreeMap<>(subnet.attributes());
        Map<String, Object> tags = new LinkedHashMap<>(subnet.tags());
        tags.remove("owner");
        attrs.put("tags", tags);
        h.cloud.replace(new FakeCloud.Stored(subnet.id(), subnet.type(), attrs));

        Plan plan = h.plan("network");

        assertThat(plan.changes()).filteredOn(c -> c.action() == Action.CREATE).isEmpty();
        assertThat(plan.changes()).filteredOn(c -> c.action() != Action.DELETE).hasSize(RESOURCES).allSatisfy(c -> {
            assertThat(c.reason()).startsWith("adopting " + applied.resources().get(c.address()).id()
                    + ", found by its infra:address tag (there is no state for this stack here");
            assertThat(c.adoption()).isEqualTo(Adoption.STATE_MISSING);
            assertThat(c.id()).isEqualTo(applied.resources().get(c.address()).id());
        });
        // Adoption is a change: counted, and it makes the plan one to apply (and to confirm).
        assertThat(plan.adoptions()).isEqualTo(RESOURCES);
        assertThat(plan.hasChanges()).isTrue();
        assertThat(plan.summary()).isEqualTo("Plan: 0 to add, 1 to change, 0 to replace, 2 to destroy, "
                + RESOURCES + " to adopt.");
        ResourceChange adoptedWithUpdate = change(plan, "network/subnet.public-b");
        assertThat(adoptedWithUpdate.action()).isEqualTo(Action.UPDATE);
        assertThat(adoptedWithUpdate.reason()).endsWith("; update in place");
        assertThat(change(plan, "network/vpc").action()).isEqualTo(Action.NO_OP);

        ResourceChange dup = change(plan, "network/vpc (duplicate " + duplicate.id() + ")");
        assertThat(dup.action()).isEqualTo(Action.DELETE);
        assertThat(dup.id()).isEqualTo(duplicate.id());
        assertThat(dup.type()).isEqualTo("aws_vpc");
        assertThat(dup.reason()).startsWith("a second resource tagged with this address");
        ResourceChange left = change(plan, "network/subnet.private-z");
        assertThat(left.action()).isEqualTo(Action.DELETE);
        assertThat(left.reason()).isEqualTo("tagged with this stack but not in the state (" + Adoption.STATE_MISSING.cause()
                + "), and no longer in the topology");
        // The leftover subnet sits in the duplicate VPC: it goes first.
        assertThat(left.priorDependencies()).containsExactly(dup.address());
        assertThat(dup.priorDependencies()).isEmpty();
        assertThat(left.id()).isEqualTo(leftover.id());
        assertThat(plan.changes()).noneMatch(c -> otherStack.id().equals(c.id()));
        assertThat(plan.counts()).containsEntry(Action.DELETE, 2).containsEntry(Action.UPDATE, 1)
                .containsEntry(Action.NO_OP, RESOURCES - 1);

        ApplyResult result = h.applyOk("network");

        assertThat(result.deleted()).isEqualTo(2);
        assertThat(result.updated()).isEqualTo(1);
        assertThat(result.adopted()).isEqualTo(RESOURCES);
        assertThat(result.summary()).endsWith(RESOURCES + " adopted.");
        assertThat(h.cloud.get(duplicate.id())).isEmpty();
        assertThat(h.cloud.get(leftover.id())).isEmpty();
        assertThat(h.cloud.get(otherStack.id())).isPresent();
        State rebuilt = h.state();
        assertThat(rebuilt.resources()).as("adopted resources are recorded in state").hasSize(RESOURCES)
                .allSatisfy((address, r) -> {
                    assertThat(r.status()).isEqualTo(ResourceState.Status.CREATED);
                    assertThat(r.id()).isEqualTo(applied.resources().get(address).id());
                    assertThat(r.dependencies()).isEqualTo(applied.resources().get(address).dependencies());
                });
        Plan after = h.plan("network");
        assertThat(after.hasChanges()).isFalse();
        assertThat(after.changes()).allSatisfy(c -> assertThat(c.reason()).isEqualTo("up to date"));
    }

    /** A create that took effect but answered with an error: the next apply adopts the resource and goes on. */
    @Test
    void createThatTookEffectButFailedIsAdoptedNextTime() {
        Harness h = new Harness(dir);
        h.cloud.crashAfterCreate("network/vpc");

        ApplyResult first = h.apply("network").result();

        assertThat(first.ok()).isFalse();
        assertThat(first.failures()).singleElement().asString().contains("network/vpc");
        assertThat(h.state().resources().get("network/vpc").status()).isEqualTo(ResourceState.Status.CREATING);
        assertThat(h.cloud.byAddress("network/vpc")).hasSize(1);
        String vpcId = h.cloud.byAddress("network/vpc").get(0).id();

        Plan plan = h.plan("network");
        assertThat(change(plan, "network/vpc").action()).isEqualTo(Action.NO_OP);
        assertThat(change(plan, "network/vpc").reason()).startsWith("adopting " + vpcId);
        assertThat(change(plan, "network/vpc").adoption()).isEqualTo(Adoption.INTERRUPTED);
        assertThat(plan.adoptions()).isEqualTo(1);
        assertThat(withAction(plan, Action.CREATE)).hasSize(RESOURCES - 4);

        h.applyOk("network");

        assertThat(h.cloud.byAddress("network/vpc")).as("no duplicate VPC").hasSize(1);
        assertThat(h.cloud.size()).isEqualTo(RESOURCES);
        assertThat(h.state().resources().get("network/vpc").id()).isEqualTo(vpcId);
        assertThat(h.plan("network").hasChanges()).isFalse();
    }

    /** A resource created between plan and apply (or by a retried create) is found by its tag, not duplicated. */
    @Test
    void createFindsAnExistingResourceByItsAddressTag() {
        Harness h = new Harness(dir);
        dev.infra.core.topology.Topology topology = dev.infra.core.testing.Fixtures.load("network");
        Plan plan = h.plan("network");
        assertThat(change(plan, "network/vpc").action()).isEqualTo(Action.CREATE);
        Map<String, Object> vpc = dev.infra.core.expand.Expander.expand(topology).stream()
                .filter(s -> s.address().equals("network/vpc")).findFirst().orElseThrow().attributes();
        FakeCloud.Stored early = h.cloud.put("aws_vpc", vpc);

        ApplyResult result = h.applySaved(plan, topology).result();

        assertThat(result.ok()).isTrue();
        assertThat(h.cloud.log()).doesNotContain("create network/vpc");
        assertThat(h.cloud.byAddress("network/vpc")).extracting(FakeCloud.Stored::id).containsExactly(early.id());
        assertThat(h.state().resources().get("network/vpc").id()).isEqualTo(early.id());
        assertThat(h.plan("network").hasChanges()).isFalse();
    }
}
