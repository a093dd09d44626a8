package dev.infra.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The critical path of a finished walk, and the counts and time-left estimate of one under way. */
class ProgressTest {

    private static final Operation VPC = new Operation("vpc#create", "network/vpc", "aws_vpc", "creating", List.of());
    private static final Operation NAT_A = new Operation("nat-a#create", "network/nat-gateway.a", "aws_nat_gateway",
            "creating", List.of("vpc#create"));
    private static final Operation NAT_B = new Operation("nat-b#create", "network/nat-gateway.b", "aws_nat_gateway",
            "creating", List.of("vpc#create"));
    private static final Operation CLUSTER = new Operation("cluster#create", "cluster.apps/cluster", "aws_eks_cluster",
            "creating", List.of("nat-a#create", "nat-b#create"));
    private static final Operation BUCKET = new Operation("bucket#create", "bucket.static", "aws_s3_bucket",
            "creating", List.of());
    private static final List<Operation> OPS = List.of(VPC, NAT_A, NAT_B, CLUSTER, BUCKET);

    private final AtomicLong now = new AtomicLong();

    @Test
    void theCriticalPathIsTheLongestChainByDuration() {
        CriticalPath path = CriticalPath.of(OPS, k -> Duration.ofSeconds(switch (k) {
            case "vpc#create" -> 1;
            case "nat-a#create" -> 2;
            case "nat-b#create" -> 3;
            case "cluster#create" -> 10;
            default -> 12; // the bucket alone is shorter than the chain's 14 s
        }));

        assertThat(path.length()).isEqualTo(Duration.ofSeconds(14));
        assertThat(path.steps()).extracting(CriticalPath.Step::address)
                .containsExactly("network/vpc", "network/nat-gateway.b", "cluster.apps/cluster");
        assertThat(path.steps()).extracting(CriticalPath.Step::duration)
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10));
        assertThat(CriticalPath.of(List.of(), k -> Duration.ZERO)).isEqualTo(CriticalPath.NONE);
    }

    @Test
    void countsAndTheSlowestInFlight() {
        Progress p = Progress.withClock(now::get);
        p.accept(new ApplyEvent.Began(OPS));
        p.accept(new ApplyEvent.Started("network/vpc", "creating"));
        p.accept(new ApplyEvent.Started("bucket.static", "creating"));
        tick(1);
        p.accept(new ApplyEvent.Completed("network/vpc", "creating", "vpc-1", Duration.ofSeconds(1)));
        p.accept(new ApplyEvent.Started("network/nat-gateway.a", "creating"));
        p.accept(new ApplyEvent.Started("network/nat-gateway.b", "creating"));
        tick(1);
        p.accept(new ApplyEvent.Failed("network/nat-gateway.b", "creating", "boom", Duration.ofSeconds(1)));
        p.accept(new ApplyEvent.Skipped("cluster.apps/cluster", "creating", "network/nat-gateway.b"));

        Progress.Snapshot s = p.snapshot(1);

        assertThat(List.of(s.total(), s.done(), s.running(), s.waiting(), s.failed(), s.skipped()))
                .containsExactly(5, 1, 2, 0, 1, 1);
        assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.slowest()).containsExactly(new Progress.Running("bucket.static", "creating", Duration.ofSeconds(2), null));
    }

    /**
     * With the typical durations (VPC 2 s, NAT gateway 2 min, EKS cluster 10 min): before anything finished the
     * estimate is AWS's; once the VPC took 0.1 s and one NAT gateway 2 s (an emulator at 1/60), the rest is scaled
     * the same way: the other NAT gateway's remainder and the cluster's 10 s.
     */
    @Test
    void timeLeftFollowsTheCriticalPathOfWhatRemainsScaledByWhatWasMeasured() {
        Progress p = Progress.withClock(now::get);
        p.accept(new ApplyEvent.Began(List.of(VPC, NAT_A, NAT_B, CLUSTER)));
        assertThat(p.snapshot(3).left()).isEqualTo(Duration.ofSeconds(2 + 120 + 600));

        p.accept(new ApplyEvent.Started("network/vpc", "creating"));
        p.accept(new ApplyEvent.Completed("network/vpc", "creating", "vpc-1", Duration.ofMillis(100)));
        p.accept(new ApplyEvent.Started("network/nat-gateway.a", "creating"));
        p.accept(new ApplyEvent.Started("network/nat-gateway.b", "creating"));
        tick(1);
        p.accept(new ApplyEvent.Completed("network/nat-gateway.a", "creating", "nat-a", Duration.ofSeconds(2)));

        // nat-b: measured mean 2 s, 1 s gone → 1 s; the cluster: 600 s × 2/120 → 10 s.
        assertThat(p.snapshot(3).left().toMillis()).isBetween(10_900L, 11_100L);
    }

    /**
     * A NAT gateway (typical 2 min) took 2.7 s and a load balancer (3 min) 3.7 s: 1/60 of AWS's and 0.7 s that every
     * operation costs; a plain ratio would make a 20 min domain 27 s instead of 20.7. On AWS (100 s and 200 s) the
     * fitted offset would be negative: kept at zero, the scale is the ratio, 1.
     */
    @Test
    void theScaleSeparatesWhatEveryOperationCostsFromWhatScalesWithItsLength() {
        Progress.Scale emulator = Progress.Scale.fit(List.of(new double[] {120, 2.7}, new double[] {180, 3.7})).orElseThrow();
        assertThat(emulator.offset()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(0.01));
        assertThat(emulator.of(1200)).isCloseTo(20.7, org.assertj.core.data.Offset.offset(0.05));

        Progress.Scale aws = Progress.Scale.fit(List.of(new double[] {120, 100}, new double[] {180, 200})).orElseThrow();
        assertThat(aws.offset()).isZero();
        assertThat(aws.factor()).isEqualTo(1.0);
        assertThat(Progress.Scale.fit(List.of())).isEmpty();
    }

    private void tick(long seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }
}
