package dev.infra.core.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.model.Ref;
import dev.infra.core.model.Unknown;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.AttributeChange;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A replica's refs to its primary: known from the primary's state, unknown where the primary's plan changes them. */
class PrimaryValuesTest {

    static final String KEY = "encryption/key";
    static final String ZONE = "dns/zone";

    static final State PLANNED = state(
            ResourceState.created(KEY, "aws_kms_key", "key-1", Map.of("arn", "arn:key-1", "rotation", true), List.of()),
            ResourceState.created(ZONE, "aws_route53_zone", "Z1", Map.of("name", "shop.example.com"), List.of()),
            ResourceState.creating("bucket.static", "aws_s3_bucket", List.of()));

    private static State state(ResourceState... resources) {
        Map<String, ResourceState> m = new java.util.TreeMap<>();
        for (ResourceState r : resources) {
            m.put(r.address(), r);
        }
        return new State(State.VERSION, "a1b2c3d4-0000", 4, "shop", "us-east-1", m, null, List.of());
    }

    private static ResourceChange change(String address, Action action, String... changed) {
        List<AttributeChange> changes = java.util.Arrays.stream(changed)
                .map(a -> new AttributeChange(a, "before", "after", false)).toList();
        return new ResourceChange(address, "t", action, null, Map.of(), Map.of(), changes, List.of(), List.of(),
                "why", null, null);
    }

    private static Plan plan(ResourceChange... changes) {
        return new Plan(Plan.FORMAT_VERSION, "shop", "us-east-1", false, "d", "a1b2c3d4-0000", 4, List.of(changes),
                List.of());
    }

    private static PrimaryValues values(Plan plan, State current) {
        return new PrimaryValues("us-east-1", plan, PLANNED, () -> current);
    }

    @Test
    void withoutThePrimarysPlanRefsAreReadFromItsState() {
        PrimaryValues v = values(null, PLANNED);

        assertThat(v.atPlan(Ref.in("us-east-1", KEY, "arn"))).isEqualTo("arn:key-1");
        assertThat(v.atPlan(Ref.in("us-east-1", KEY, "id"))).isEqualTo("key-1");
        assertThat(v.atPlan(Ref.in("us-east-1", ZONE, "name"))).isEqualTo("shop.example.com");
        assertThat(v.atPlan(Ref.in("us-east-1", ZONE, "nameServers"))).isNull();
    }

    @Test
    void whatThePrimarysPlanCreatesReplacesOrChangesIsUnknownAtPlan() {
        PrimaryValues v = values(plan(change(KEY, Action.UPDATE, "rotation"), change(ZONE, Action.REPLACE),
                change("bucket.static", Action.CREATE)), PLANNED);

        assertThat(v.atPlan(Ref.in("us-east-1", KEY, "rotation"))).isEqualTo(Unknown.VALUE);
        assertThat(v.atPlan(Ref.in("us-east-1", ZONE, "id"))).isEqualTo(Unknown.VALUE);
        assertThat(v.atPlan(Ref.in("us-east-1", "bucket.static", "arn"))).isEqualTo(Unknown.VALUE);
    }

    /** An update leaves what it does not change as the state has it; a no-op changes nothing. */
    @Test
    void whatThePrimarysPlanLeavesIsKnownAtPlan() {
        PrimaryValues v = values(plan(change(KEY, Action.UPDATE, "rotation"), change(ZONE, Action.NO_OP)), PLANNED);

        assertThat(v.atPlan(Ref.in("us-east-1", KEY, "arn"))).isEqualTo("arn:key-1");
        assertThat(v.atPlan(Ref.in("us-east-1", ZONE, "id"))).isEqualTo("Z1");
    }

    @Test
    void aRefToWhatThePrimaryDoesNotHaveAsksToApplyItFirst() {
        PrimaryValues v = values(null, PLANNED);

        for (String address : List.of("cache.sessions/global", "bucket.static")) {
            InvalidInputException e = catchThrowableOfType(() -> v.atPlan(Ref.in("us-east-1", address, "id")),
                    InvalidInputException.class);
            assertThat(e.diagnostics()).singleElement().satisfies(d -> assertThat(d.message()).isEqualTo(
                    "the replica uses " + address + " of its primary us-east-1, which us-east-1 does not have: apply"
                            + " us-east-1 first (infra apply --region us-east-1)"));
        }
    }

    /** At apply the primary has applied: its state is read then, once, whatever it was at plan. */
    @Test
    void atApplyRefsAreReadFromThePrimarysStateAfterItApplied() {
        State after = state(
                ResourceState.created(KEY, "aws_kms_key", "key-2", Map.of("arn", "arn:key-2"), List.of()),
                ResourceState.created("bucket.static", "aws_s3_bucket", "shop-static", Map.of("arn", "arn:s3"), List.of()));
        AtomicInteger reads = new AtomicInteger();
        PrimaryValues v = new PrimaryValues("us-east-1", plan(change(KEY, Action.REPLACE)), PLANNED, () -> {
            reads.incrementAndGet();
            return after;
        });

        assertThat(reads).hasValue(0);
        assertThat(v.atApply(Ref.in("us-east-1", KEY, "arn"))).isEqualTo("arn:key-2");
        assertThat(v.atApply(Ref.in("us-east-1", "bucket.static", "id"))).isEqualTo("shop-static");
        assertThat(reads).hasValue(1);
        IllegalStateException e = catchThrowableOfType(() -> v.atApply(Ref.in("us-east-1", ZONE, "id")),
                IllegalStateException.class);
        assertThat(e).hasMessage("the primary us-east-1 has no dns/zone: its apply did not make it; apply us-east-1 again");
    }

    @Test
    void aRefToAnotherRegionIsAMistake() {
        PrimaryValues v = values(null, PLANNED);

        assertThat(catchThrowableOfType(() -> v.atPlan(Ref.in("eu-west-1", KEY, "arn")), IllegalStateException.class))
                .hasMessageContaining("names a region other than the primary us-east-1");
        assertThat(catchThrowableOfType(() -> v.atApply(Ref.to(KEY, "arn")), IllegalStateException.class))
                .hasMessageContaining("names a region other than the primary us-east-1");
    }
}
