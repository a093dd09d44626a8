package dev.infra.core.plan;

import static dev.infra.core.testing.Harness.change;
import static dev.infra.core.testing.Harness.withAction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.apply.ApplyResult;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.testing.Harness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resource the stack adopted by name (the topology's dns.zoneId) is the user's: a destroy forgets it (out of the
 * state, left in AWS, no provider call) and says so, and a topology naming another one than the state records is
 * refused. Here the fake cloud's VPCs are adopted by name through their {@code adoptedId}.
 */
class NamedAdoptionTest {

    @TempDir
    Path dir;

    private Harness h;
    private String vpcId;

    /** The network applied, its VPC then recorded as adopted by name (as HostedZoneProvider records zoneId). */
    @BeforeEach
    void adoptVpc() {
        h = new Harness(dir);
        h.cloud.adoptsNamed("aws_vpc", "adoptedId");
        h.applyOk("network");
        State s = h.state();
        ResourceState vpc = s.resources().get("network/vpc");
        vpcId = vpc.id();
        Map<String, Object> attrs = new TreeMap<>(vpc.attributes());
        attrs.put("adoptedId", vpcId);
        h.backend.write(s.with(ResourceState.created(vpc.address(), vpc.type(), vpcId, attrs, vpc.dependencies())));
    }

    @Test
    void destroyForgetsWhatWasAdoptedByNameAndCountsItApart() {
        int resources = h.state().resources().size();

        Plan plan = h.planDestroy("network");

        ResourceChange vpc = change(plan, "network/vpc");
        assertThat(vpc.action()).isEqualTo(Action.FORGET);
        assertThat(vpc.adoption()).isEqualTo(Adoption.NAMED);
        assertThat(vpc.id()).isEqualTo(vpcId);
        assertThat(vpc.adopts()).isFalse();
        assertThat(withAction(plan, Action.DELETE)).hasSize(resources - 1).doesNotContain("network/vpc");
        assertThat(plan.summary()).isEqualTo("Plan: 0 to add, 0 to change, 0 to replace, " + (resources - 1)
                + " to destroy, 1 to forget.");
        // A saved plan keeps the forget (and its cause).
        Plan read = PlanCodec.readAll(save(plan)).get(0);
        assertThat(change(read, "network/vpc").action()).isEqualTo(Action.FORGET);
        assertThat(change(read, "network/vpc").adoption()).isEqualTo(Adoption.NAMED);
        assertThat(read.summary()).isEqualTo(plan.summary());

        h.cloud.clearLog();
        ApplyResult result = h.destroy("network").result();

        assertThat(result.ok()).isTrue();
        assertThat(result.deleted()).isEqualTo(resources - 1);
        assertThat(result.forgotten()).isEqualTo(1);
        assertThat(result.summary(true)).isEqualTo("Destroy complete! Resources: " + (resources - 1)
                + " destroyed, 1 forgotten (left in place).");
        assertThat(h.state().resources()).isEmpty();
        assertThat(h.cloud.get(vpcId)).isPresent();
        assertThat(h.cloud.log()).hasSize(resources - 1).doesNotContain("delete network/vpc");
        assertThat(h.cloud.size()).isEqualTo(1);
    }

    @Test
    void topologyNoLongerNamingWhatWasAdoptedIsRefusedAtItsOrigin() {
        // The fixture's VPC names nothing: the stack would take the adopted VPC as its own.
        assertThatThrownBy(() -> h.plan("network"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("network/vpc")
                .hasMessageContaining("no longer names " + vpcId + ", which the stack adopted");
    }

    private Path save(Plan plan) {
        Path file = dir.resolve("plan.json");
        PlanCodec.write(List.of(plan), file);
        return file;
    }
}
