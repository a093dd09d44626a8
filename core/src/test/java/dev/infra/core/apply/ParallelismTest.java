package dev.infra.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.testing.FakeCloud;
import dev.infra.core.testing.Harness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded parallelism, and long waits that give their slot back. */
class ParallelismTest {

    private static final List<String> EIPS = List.of("network/eip.nat-a", "network/eip.nat-b", "network/eip.nat-c");

    /** What does not depend on the Elastic IPs: VPC, gateway, subnets, public route table, groups, rules. */
    private static final int INDEPENDENT = 15;

    @TempDir
    Path dir;

    /**
     * With two slots, three Elastic IPs whose creation waits until all three are waiting AND everything
     * independent of them exists: only possible if a waiting create frees its slot. No timing involved.
     */
    @Test
    void waitingCreatesFreeTheirSlotsForOtherWork() {
        FakeCloud cloud = new FakeCloud();
        EIPS.forEach(eip -> cloud.createWaitsFor(eip, () -> cloud.awaitsStarted() == EIPS.size() && cloud.size() >= INDEPENDENT));
        Harness h = new Harness(dir, cloud).parallelism(2);

        ApplyResult result = h.apply("network").result();

        assertThat(result.failures()).isEmpty();
        assertThat(result.created()).isEqualTo(24);
        assertThat(cloud.maxActiveCreates()).as("creates holding a slot at once").isLessThanOrEqualTo(2);
        assertThat(cloud.maxCreatesInProgress()).as("creates in progress at once, waiting ones included")
                .isGreaterThanOrEqualTo(EIPS.size());
        List<String> log = cloud.log();
        assertThat(log.subList(0, INDEPENDENT)).noneMatch(l -> l.contains("eip") || l.contains("nat-gateway") || l.contains("route-table.private"));
    }

    @Test
    void parallelismBoundsConcurrentCreates() {
        FakeCloud cloud = new FakeCloud();
        Harness h = new Harness(dir, cloud).parallelism(1);

        assertThat(h.apply("network").result().ok()).isTrue();

        assertThat(cloud.maxActiveCreates()).isEqualTo(1);
        assertThat(cloud.maxCreatesInProgress()).isEqualTo(1);
    }

    @Test
    void longWaitsSendHeartbeats() {
        FakeCloud cloud = new FakeCloud();
        Harness h = new Harness(dir, cloud).heartbeat(Duration.ofMillis(5));
        cloud.createWaitsFor("network/vpc", () -> h.events.stream()
                .anyMatch(e -> e instanceof ApplyEvent.Waiting w && w.address().equals("network/vpc")
                        && w.waitingFor() != null));

        assertThat(h.apply("network").result().ok()).isTrue();

        assertThat(h.events).filteredOn(e -> e instanceof ApplyEvent.OfOperation o && o.address().equals("network/vpc"))
                .first().isEqualTo(new ApplyEvent.Started("network/vpc", "creating"));
        assertThat(h.events).filteredOn(e -> e instanceof ApplyEvent.Waiting w && w.address().equals("network/vpc"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(((ApplyEvent.Waiting) e).operation()).isEqualTo("creating"))
                // The provider's wait, named to the progress.
                .anySatisfy(e -> assertThat(((ApplyEvent.Waiting) e).waitingFor())
                        .isEqualTo("network/vpc to become available"));
    }

    @Test
    void parallelismMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Applier.create(
                        new FakeCloud().registry(), 0, Duration.ofSeconds(1), e -> { }, new Cancellation()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
