package dev.infra.core.apply;

import static dev.infra.core.testing.Harness.actions;
import static dev.infra.core.testing.Harness.change;
import static dev.infra.core.testing.Harness.changed;
import static dev.infra.core.testing.Harness.withAction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.stack.StackEngine;
import dev.infra.core.model.Unknown;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.AttributeChange;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.testing.FakeCloud;
import dev.infra.core.testing.Harness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan and apply against an in-memory provider: the whole lifecycle of the sample network. */
class PlanApplyTest {

    private static final int RESOURCES = 24;

    @TempDir
    Path dir;

    @Test
    void planOnEmptyStateCreatesEverythingWithOneReadPerType() {
        Harness h = new Harness(dir);

        Plan plan = h.plan("network");

        assertThat(plan.changes()).hasSize(RESOURCES)
                .allSatisfy(c -> {
                    assertThat(c.action()).isEqualTo(Action.CREATE);
                    assertThat(c.reason()).isEqualTo("new resource");
                    assertThat(c.id()).isNull();
                });
        assertThat(plan.summary()).isEqualTo("Plan: 24 to add, 0 to change, 0 to replace, 0 to destroy.");
        assertThat(plan.serial()).isZero();
        assertThat(plan.topologyDigest()).hasSize(64);
        assertThat(h.cloud.reads()).hasSize(8).allSatisfy((type, n) -> assertThat(n).as(type).isEqualTo(1));
        assertThat(h.cloud.size()).as("planning changes nothing").isZero();
    }

    @Test
    void applyRecordsEveryResourceWithItsIdAndThenThereIsNothingToDo() {
        Harness h = new Harness(dir);

        ApplyResult result = h.applyOk("network");

        assertThat(result.created()).isEqualTo(RESOURCES);
        assertThat(result.summary()).isEqualTo("Apply complete! Resources: 24 added, 0 changed, 0 replaced, 0 destroyed.");
        State state = h.state();
        assertThat(state.resources()).hasSize(RESOURCES).allSatisfy((address, r) -> {
            assertThat(r.status()).isEqualTo(ResourceState.Status.CREATED);
            assertThat(r.id()).isNotNull();
            assertThat(h.cloud.get(r.id())).as(address).hasValueSatisfying(s -> assertThat(s.address()).isEqualTo(address));
        });
        assertThat(state.resources().get("network/nat-gateway.a").dependencies()).containsExactlyInAnyOrder(
                "network/eip.nat-a", "network/internet-gateway", "network/subnet.public-a");
        assertThat(h.cloud.size()).isEqualTo(RESOURCES);
        // Refs were resolved to the ids of what they name.
        String vpcId = state.resources().get("network/vpc").id();
        assertThat(h.cloud.get(state.resources().get("network/subnet.private-b").id()).orElseThrow().attributes())
                .containsEntry("vpcId", vpcId);
        assertThat(h.events).filteredOn(e -> e instanceof ApplyEvent.Completed).hasSize(RESOURCES);

        Plan again = h.plan("network");
        assertThat(again.hasChanges()).isFalse();
        assertThat(again.changes()).hasSize(RESOURCES).allSatisfy(c -> {
            assertThat(c.action()).isEqualTo(Action.NO_OP);
            assertThat(c.reason()).isEqualTo("up to date");
        });
        assertThat(again.drift()).isEmpty();
        assertThat(again.summary()).isEqualTo("No changes. The infrastructure matches the topology.");
        assertThat(h.apply("network").applied()).isFalse();
    }

    @Test
    void changedTagsAreUpdatedInPlace() {
        Harness h = new Harness(dir);
        h.applyOk("network");
        Map<String, String> ids = ids(h.state());

        Plan plan = h.plan("network-retagged");

        assertThat(plan.changes()).hasSize(RESOURCES).allSatisfy(c -> {
            assertThat(c.action()).as(c.address()).isEqualTo(Action.UPDATE);
            assertThat(c.changes()).extracting(AttributeChange::name).containsExactly("tags");
            assertThat(c.changes().get(0).forcesReplacement()).isFalse();
            assertThat(c.reason()).isEqualTo("update in place");
        });
        ApplyResult result = h.applyOk("network-retagged");

        assertThat(result.updated()).isEqualTo(RESOURCES);
        assertThat(ids(h.state())).isEqualTo(ids);
        assertThat(h.cloud.all().values()).allSatisfy(s -> assertThat(s.tags()).containsEntry("environment", "staging"));
        assertThat(h.plan("network-retagged").hasChanges()).isFalse();
    }

    /** A change made outside infra is corrected by one apply: the update is judged against AWS, not the state's record. */
    @Test
    void driftIsCorrectedInOneApply() {
        Harness h = new Harness(dir);
        h.applyOk("network");
        String subnetId = h.state().resources().get("network/subnet.public-a").id();
        FakeCloud.Stored subnet = h.cloud.get(subnetId).orElseThrow();
        Map<String, Object> drifted = new java.util.TreeMap<>(subnet.attributes());
        Map<String, String> tags = new java.util.TreeMap<>(subnet.tags());
        tags.put("owner", "someone-else");
        drifted.put("tags", tags);
        h.cloud.replace(new FakeCloud.Stored(subnetId, subnet.type(), drifted));

        Plan plan = h.plan("network");
        assertThat(plan.drift()).singleElement().satisfies(d -> assertThat(d.changes()).singleElement().satisfies(a -> {
            // Drift reads from what was recorded to what AWS holds now.
            assertThat(a.name()).isEqualTo("tags");
            assertThat(a.after()).asString().contains("someone-else");
        }));
        assertThat(change(plan, "network/subnet.public-a").action()).isEqualTo(Action.UPDATE);

        h.applyOk("network");

        assertThat(h.cloud.get(subnetId).orElseThrow().tags()).containsEntry("owner", "platform");
        assertThat(h.plan("network").hasChanges()).isFalse();
    }

    @Test
    void forceNewAttributeReplacesTheResourceAndDependentsWhoseRefsBecomeUnknown() {
        FakeCloud cloud = new FakeCloud()
                .schema("aws_vpc", ResourceSchema.of(Set.of("tags", "enableDnsSupport"), Set.of("arn")));
        Harness h = new Harness(dir, cloud);
        h.applyOk("network");
        Map<String, String> before = ids(h.state());

        Plan plan = h.plan("network-dns-hostnames-off");

        ResourceChange vpc = change(plan, "network/vpc");
        assertThat(vpc.action()).isEqualTo(Action.REPLACE);
        assertThat(vpc.reason()).isEqualTo("forces replacement: enableDnsHostnames");
        ResourceChange subnet = change(plan, "network/subnet.public-a");
        assertThat(subnet.action()).isEqualTo(Action.REPLACE);
        assertThat(subnet.changes()).containsExactly(new AttributeChange("vpcId", before.get("network/vpc"), Unknown.VALUE, true));
        Map<String, Action> actions = actions(plan);
        assertThat(actions).allSatisfy((address, action) -> assertThat(action).as(address)
                .isEqualTo(address.startsWith("network/eip.") ? Action.NO_OP : Action.REPLACE));

        ApplyResult result = h.applyOk("network-dns-hostnames-off");

        assertThat(result.replaced()).isEqualTo(RESOURCES - 3);
        assertThat(result.created()).isZero();
        assertThat(result.deleted()).isZero();
        Map<String, String> after = ids(h.state());
        assertThat(after).hasSize(RESOURCES);
        assertThat(after.get("network/vpc")).isNotEqualTo(before.get("network/vpc"));
        assertThat(after.get("network/eip.nat-b")).isEqualTo(before.get("network/eip.nat-b"));
        assertThat(h.cloud.size()).as("no leftovers").isEqualTo(RESOURCES);
        assertThat(h.plan("network-dns-hostnames-off").hasChanges()).isFalse();
    }

    /**
     * Moving a public subnet replaces it and its NAT gateway; the route tables that use them are updated
     * in place to point at the new ones (not ordered before the old ones' deletion, which would be a cycle).
     */
    @Test
    void replacingAResourceThatOthersKeepUsingUpdatesThemAfterwards() {
        Harness h = new Harness(dir);
        h.applyOk("network");
        Map<String, String> before = ids(h.state());

        Plan plan = h.plan("network-public-subnet-moved");

        assertThat(changed(plan)).isEqualTo(Map.of(
                "network/subnet.public-a", Action.REPLACE,
                "network/nat-gateway.a", Action.REPLACE,
                "network/route-table.public", Action.UPDATE,
                "network/route-table.private-a", Action.UPDATE));

        ApplyResult result = h.applyOk("network-public-subnet-moved");

        assertThat(result.replaced()).isEqualTo(2);
        assertThat(result.updated()).isEqualTo(2);
        State state = h.state();
        String newNat = state.resources().get("network/nat-gateway.a").id();
        assertThat(newNat).isNotEqualTo(before.get("network/nat-gateway.a"));
        assertThat(h.cloud.get(state.resources().get("network/route-table.private-a").id()).orElseThrow()
                .attributes().get("routes").toString()).contains(newNat);
        assertThat(h.cloud.size()).isEqualTo(RESOURCES);
        List<String> log = h.cloud.log().subList(h.cloud.log().indexOf("delete network/nat-gateway.a"), h.cloud.log().size());
        assertThat(log).containsSubsequence("delete network/nat-gateway.a", "delete network/subnet.public-a",
                "create network/subnet.public-a", "create network/nat-gateway.a", "update network/route-table.private-a");
        assertThat(h.plan("network-public-subnet-moved").hasChanges()).isFalse();
    }

    @Test
    void resourcesRemovedFromTheTopologyAreDeletedDependentsFirst() {
        Harness h = new Harness(dir);
        h.applyOk("network");
        State applied = h.state();
        h.cloud.clearLog();

        Plan plan = h.plan("no-network");

        assertThat(plan.changes()).hasSize(RESOURCES).allSatisfy(c -> {
            assertThat(c.action()).isEqualTo(Action.DELETE);
            assertThat(c.reason()).isEqualTo("no longer in the topology");
            assertThat(c.id()).isEqualTo(applied.resources().get(c.address()).id());
        });
        ApplyResult result = h.applyOk("no-network");

        assertThat(result.deleted()).isEqualTo(RESOURCES);
        assertThat(h.cloud.size()).isZero();
        assertThat(h.state().resources()).isEmpty();
        assertDeletedDependentsFirst(h.cloud.log(), applied);
    }

    @Test
    void destroyDeletesEverythingInReverseDependencyOrder() {
        Harness h = new Harness(dir);
        h.applyOk("network");
        State applied = h.state();
        h.cloud.clearLog();

        Plan plan = h.planDestroy("network");
        assertThat(plan.destroy()).isTrue();
        assertThat(plan.changes()).hasSize(RESOURCES).allSatisfy(c -> assertThat(c.reason()).isEqualTo("destroy"));
        StackEngine.Outcome outcome = h.destroy("network");

        assertThat(outcome.result().ok()).isTrue();
        assertThat(h.cloud.size()).isZero();
        assertThat(h.state().resources()).isEmpty();
        assertDeletedDependentsFirst(h.cloud.log(), applied);
        assertThat(h.planDestroy("network").hasChanges()).isFalse();
    }

    private static void assertDeletedDependentsFirst(List<String> log, State applied) {
        assertThat(log).hasSize(RESOURCES).allSatisfy(line -> assertThat(line).startsWith("delete "));
        applied.resources().values().forEach(r -> r.dependencies().forEach(dep ->
                assertThat(log.indexOf("delete " + r.address()))
                        .as(r.address() + " deleted before " + dep)
                        .isLessThan(log.indexOf("delete " + dep))));
    }

    @Test
    void failedCreateSkipsItsDependentsWhileIndependentBranchesGoOn() {
        Harness h = new Harness(dir);
        h.cloud.failCreate("network/subnet.public-a");

        StackEngine.Outcome outcome = h.apply("network");

        ApplyResult result = outcome.result();
        assertThat(result.ok()).isFalse();
        assertThat(result.failures()).singleElement().asString()
                .contains("network/subnet.public-a").contains("injected failure");
        assertThat(result.skipped()).containsExactlyInAnyOrder(
                "network/nat-gateway.a", "network/route-table.private-a", "network/route-table.public");
        assertThat(result.summary()).endsWith("1 failed, 3 skipped.");
        assertThat(h.events).filteredOn(e -> e instanceof ApplyEvent.Skipped)
                .allSatisfy(e -> assertThat(((ApplyEvent.Skipped) e).failedDependency()).isEqualTo("network/subnet.public-a"));

        State state = h.state();
        Map<String, String> created = new TreeMap<>();
        h.cloud.all().values().forEach(s -> created.put(s.address(), s.id()));
        assertThat(created).hasSize(RESOURCES - 4)
                .containsKeys("network/nat-gateway.b", "network/route-table.private-c", "network/subnet.private-a");
        assertThat(ids(state)).as("state holds everything created").isEqualTo(created);
        assertThat(state.resources().get("network/subnet.public-a").status()).isEqualTo(ResourceState.Status.CREATING);
        assertThat(state.resources()).doesNotContainKeys("network/nat-gateway.a", "network/route-table.public");

        Plan next = h.plan("network");
        assertThat(withAction(next, Action.CREATE)).containsExactlyInAnyOrder(
                "network/subnet.public-a", "network/nat-gateway.a", "network/route-table.private-a",
                "network/route-table.public");
        assertThat(change(next, "network/subnet.public-a").reason())
                .isEqualTo("creation was interrupted; no resource found, creating");
        h.applyOk("network");
        assertThat(h.cloud.size()).isEqualTo(RESOURCES);
        assertThat(h.plan("network").hasChanges()).isFalse();
    }

    @Test
    void changesMadeOutsideInfraShowAsDriftAndAreUndone() {
        Harness h = new Harness(dir);
        h.applyOk("network");
        String subnetId = h.state().resources().get("network/subnet.private-a").id();
        FakeCloud.Stored s = h.cloud.get(subnetId).orElseThrow();
        Map<String, Object> attrs = new TreeMap<>(s.attributes());
        attrs.put("mapPublicIpOnLaunch", true);
        h.cloud.replace(new FakeCloud.Stored(s.id(), s.type(), attrs));
        h.cloud.forget(h.state().resources().get("network/security-group.nodes/rule.ingress-all-all-sg-nodes").id());

        Plan plan = h.plan("network");

        assertThat(plan.drift()).extracting(d -> d.address() + (d.deleted() ? " deleted" : " changed"))
                .containsExactlyInAnyOrder("network/subnet.private-a changed",
                        "network/security-group.nodes/rule.ingress-all-all-sg-nodes deleted");
        assertThat(change(plan, "network/subnet.private-a").action()).isEqualTo(Action.UPDATE);
        ResourceChange recreate = change(plan, "network/security-group.nodes/rule.ingress-all-all-sg-nodes");
        assertThat(recreate.action()).isEqualTo(Action.CREATE);
        assertThat(recreate.reason()).isEqualTo("deleted outside infra; will be created again");
        h.applyOk("network");
        assertThat(h.plan("network").hasChanges()).isFalse();
    }

    /** address → id of every resource state records as created. */
    static Map<String, String> ids(State state) {
        return state.resources().values().stream().filter(r -> r.id() != null)
                .collect(Collectors.toMap(ResourceState::address, ResourceState::id, (a, b) -> a, TreeMap::new));
    }
}
