package dev.infra.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.model.OtherRegions;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.HeldData;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Deletes keep data unless told otherwise: a delete of a resource holding data it keeps is refused at plan time (every
 * refusal at once, deletion protection included), unless the run or the resource itself gives the data up; the
 * topology's forceDestroy wins over what AWS records; audit logs need the resource's own; what goes is noted.
 */
class DataGuardTest {

    static final String TYPE = "aws_s3_bucket";

    /** Resources by id as AWS would report them, and what each holds. */
    record Provider(String type, ResourceSchema schema, Map<String, LiveResource> live, Map<String, HeldData> held)
            implements ResourceProvider {
        @Override
        public List<LiveResource> readAll(ReadRequest request) {
            return request.ids().stream().filter(live::containsKey).map(live::get).toList();
        }

        @Override
        public Optional<HeldData> heldData(LiveResource r) {
            return Optional.ofNullable(held.get(r.id()));
        }

        @Override
        public Optional<LiveResource> findExisting(String stack, ResourceSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LiveResource create(ResourceSpec spec, OperationContext ctx) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LiveResource update(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(LiveResource current, OperationContext ctx) {
            throw new UnsupportedOperationException();
        }
    }

    final Map<String, LiveResource> live = new TreeMap<>();
    final Map<String, HeldData> held = new TreeMap<>();
    final Map<String, LiveResource> tables = new TreeMap<>();
    State state = State.empty("shop", "us-east-1");

    void bucket(String name, boolean forceDestroy, HeldData data) {
        String address = "bucket." + name;
        live.put(name, LiveResource.of(name, address, Map.of(HeldData.FORCE_DESTROY, forceDestroy)));
        if (data != null) {
            held.put(name, data);
        }
        state = state.with(ResourceState.created(address, TYPE, name, Map.of(), List.of()));
    }

    Plan destroy(DataOptIn optIn) {
        ProviderRegistry registry = ProviderRegistry.of(List.of(
                new Provider(TYPE, ResourceSchema.of(true, Set.of(HeldData.FORCE_DESTROY), Set.of()), live, held),
                new Provider("aws_dynamodb_table", ResourceSchema.of(true, Set.of(), Set.of())
                        .withDeletionProtection("deletionProtection"), tables, Map.of())));
        return new Planner(registry, OtherRegions.NONE).plan(ResourceGraph.build(List.of()), state, "digest", true, optIn);
    }

    static ResourceChange change(Plan plan, String address) {
        return plan.changes().stream().filter(c -> c.address().equals(address)).findFirst().orElseThrow();
    }

    static List<String> refusals(Runnable plan) {
        try {
            plan.run();
        } catch (InvalidInputException e) {
            return e.diagnostics().stream().map(Diagnostic::render).toList();
        }
        throw new AssertionError("the plan was not refused");
    }

    @Test
    void aBucketHoldingObjectsIsRefusedWithTheProtectedTableInOneError() {
        bucket("logs", false, new HeldData("3 objects (5 versions)", HeldData.Guard.KEPT));
        bucket("empty", false, null);
        tables.put("orders", LiveResource.of("orders", "table.orders", Map.of("deletionProtection", true)));
        state = state.with(ResourceState.created("table.orders", "aws_dynamodb_table", "orders", Map.of(), List.of()));

        assertThat(refusals(() -> destroy(DataOptIn.NONE))).containsExactlyInAnyOrder(
                "bucket.logs: error: holds 3 objects (5 versions), which would go if it were deleted; infra deletes no"
                        + " data unless told to: set forceDestroy: true on it in the topology, or pass --force-delete-data",
                "table.orders: error: deletion protection is on (deletionProtection), so it cannot be deleted; set"
                        + " deletionProtection: false and apply first");
    }

    @Test
    void theRunsOptInLetsTheDataGoAndThePlanSaysWhat() {
        bucket("logs", false, new HeldData("3 objects", HeldData.Guard.KEPT));
        bucket("empty", false, null);
        Plan plan = destroy(new DataOptIn(true, Map.of()));
        ResourceChange logs = change(plan, "bucket.logs");
        assertThat(logs.dataLoss()).isEqualTo("3 objects");
        // The delete empties the bucket because the plan says it may.
        assertThat(logs.prior()).containsEntry(HeldData.FORCE_DESTROY, true);
        ResourceChange empty = change(plan, "bucket.empty");
        assertThat(empty.dataLoss()).isNull();
        assertThat(empty.prior()).containsEntry(HeldData.FORCE_DESTROY, false);
    }

    @Test
    void auditLogsGoOnlyWhenTheResourceItselfSaysSo() {
        bucket("audit", false, new HeldData("1 object", HeldData.Guard.KEPT_UNLESS_OWN));
        assertThat(refusals(() -> destroy(new DataOptIn(true, Map.of())))).singleElement().asString()
                .contains("bucket.audit: error: holds 1 object").contains("audit logs go only when the resource itself"
                        + " says forceDestroy: true in the topology (--force-delete-data does not cover them)");
        assertThat(change(destroy(new DataOptIn(false, Map.of("bucket.audit", true))), "bucket.audit").prior())
                .containsEntry(HeldData.FORCE_DESTROY, true);
    }

    /** The topology's forceDestroy, as it is now, wins over the one AWS records (a destroy needs no apply first). */
    @Test
    void theTopologysForceDestroyWinsOverWhatAwsRecords() {
        bucket("logs", true, new HeldData("2 objects", HeldData.Guard.KEPT));
        assertThat(change(destroy(DataOptIn.NONE), "bucket.logs").dataLoss()).isEqualTo("2 objects");
        assertThat(refusals(() -> destroy(new DataOptIn(false, Map.of("bucket.logs", false))))).singleElement()
                .asString().startsWith("bucket.logs: error: holds 2 objects");

        bucket("empty", true, null);
        // Emptied at plan time, it is deleted as the topology says now: not emptied, should objects arrive meanwhile.
        assertThat(change(destroy(new DataOptIn(false, Map.of("bucket.empty", false))), "bucket.empty").prior())
                .containsEntry(HeldData.FORCE_DESTROY, false);
    }

    @Test
    void dataOnlyShownGoesAheadAndIsNoted() {
        bucket("items", false, new HeldData("about 12 items (340 bytes)", HeldData.Guard.SHOWN));
        ResourceChange c = change(destroy(DataOptIn.NONE), "bucket.items");
        assertThat(c.dataLoss()).isEqualTo("about 12 items (340 bytes)");
        assertThat(c.prior()).containsEntry(HeldData.FORCE_DESTROY, false);
    }
}
