package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.cli.render.ProgressRenderer;
import dev.infra.core.apply.ApplyEvent;
import dev.infra.core.apply.ApplyResult;
import dev.infra.core.apply.CriticalPath;
import dev.infra.core.apply.Operation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the progress looks like without a terminal and with --json, and the closing timing lines. */
class ProgressRendererTest {

    private static final List<Operation> OPS = List.of(
            new Operation("vpc#create", "network/vpc", "aws_vpc", "creating", List.of()),
            new Operation("nat#create", "network/nat-gateway.a", "aws_nat_gateway", "creating", List.of("vpc#create")),
            new Operation("bucket#create", "bucket.static", "aws_s3_bucket", "creating", List.of()));

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Console console = new Console(new PrintWriter(out), new PrintWriter(err), false);

    /** Heartbeats of each waiting operation are left out: one summary line per interval stands for them all. */
    @Test
    void withoutATerminalOneSummaryLinePerIntervalStandsForTheWaitingOperations() throws InterruptedException {
        try (ProgressRenderer r = new ProgressRenderer(console, ProgressRenderer.Mode.LINES, Duration.ofMillis(200), () -> 0)) {
            r.accept(new ApplyEvent.Began(OPS));
            r.accept(new ApplyEvent.Started("network/vpc", "creating"));
            r.accept(new ApplyEvent.Completed("network/vpc", "creating", "vpc-1", Duration.ofMillis(100)));
            r.accept(new ApplyEvent.Started("network/nat-gateway.a", "creating"));
            r.accept(new ApplyEvent.Started("bucket.static", "creating"));
            r.accept(new ApplyEvent.Waiting("network/nat-gateway.a", "creating", Duration.ofSeconds(10)));
            r.accept(new ApplyEvent.Waiting("bucket.static", "creating", Duration.ofSeconds(10)));
            Thread.sleep(500);
            r.accept(new ApplyEvent.Failed("bucket.static", "creating", "bucket.static: AccessDenied", Duration.ofSeconds(1)));
        }

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.subList(0, 4)).containsExactly("network/vpc: creating...", "network/vpc: created (vpc-1) after 0.1s",
                "network/nat-gateway.a: creating...", "bucket.static: creating...");
        assertThat(lines).noneMatch(l -> l.contains("still creating"));
        assertThat(lines.get(4)).matches("1/3 done, 2 in flight, 0 waiting, 0 failed \\| \\d\\.\\ds elapsed \\| slowest:"
                + " (network/nat-gateway.a|bucket.static) creating \\d\\.\\ds, .* \\| about .* left");
        assertThat(err.toString().strip()).isEqualTo("error: bucket.static: AccessDenied");
    }

    @Test
    void jsonKeepsItsEventsAndAddsASummaryEvent() throws InterruptedException {
        try (ProgressRenderer r = new ProgressRenderer(console, ProgressRenderer.Mode.JSON, Duration.ofMillis(200), () -> 0)) {
            r.accept(new ApplyEvent.Began(OPS));
            r.accept(new ApplyEvent.Started("network/vpc", "creating"));
            r.accept(new ApplyEvent.Waiting("network/vpc", "creating", Duration.ofSeconds(10)));
            Thread.sleep(350);
        }

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).contains("\"type\":\"apply_start\"", "\"address\":\"network/vpc\"");
        assertThat(lines.get(1)).contains("\"type\":\"apply_progress\"", "\"elapsed_seconds\":10")
                .doesNotContain("waiting_for");
        assertThat(lines.get(2)).contains("\"type\":\"apply_summary\"", "\"total\":3", "\"done\":0", "\"in_flight\":1",
                "\"waiting\":2", "\"estimated_seconds_left\":", "\"slowest\":[{");
    }

    /** What an operation waits for (a provider's propagation retry) is on the summary line and in the JSON events. */
    @Test
    void theSummaryAndTheJsonNameWhatAnOperationWaitsFor() throws InterruptedException {
        String reason = "PutKeyPolicy key-1 (MalformedPolicyDocumentException)";
        try (ProgressRenderer r = new ProgressRenderer(console, ProgressRenderer.Mode.LINES, Duration.ofMillis(200), () -> 0)) {
            r.accept(new ApplyEvent.Began(OPS));
            r.accept(new ApplyEvent.Started("network/vpc", "creating"));
            r.accept(new ApplyEvent.Waiting("network/vpc", "creating", Duration.ofSeconds(12), reason));
            Thread.sleep(350);
        }
        assertThat(out.toString().lines().toList().get(1)).contains(
                "slowest: network/vpc creating ", " (waiting: " + reason + ") | about ");

        StringWriter json = new StringWriter();
        Console jsonConsole = new Console(new PrintWriter(json), new PrintWriter(err), false);
        try (ProgressRenderer r = new ProgressRenderer(jsonConsole, ProgressRenderer.Mode.JSON, Duration.ofMillis(200), () -> 0)) {
            r.accept(new ApplyEvent.Began(OPS));
            r.accept(new ApplyEvent.Started("network/vpc", "creating"));
            r.accept(new ApplyEvent.Waiting("network/vpc", "creating", Duration.ofSeconds(12), reason));
            Thread.sleep(350);
        }
        List<String> lines = json.toString().lines().toList();
        // A field added, those before kept: a reader of the old events still reads these.
        assertThat(lines.get(1)).contains("\"type\":\"apply_progress\"", "\"elapsed_seconds\":12",
                "\"waiting_for\":\"" + reason + "\"");
        assertThat(lines.get(2)).contains("\"type\":\"apply_summary\"",
                "\"slowest\":[{\"address\":\"network/vpc\",\"elapsed_seconds\":",
                "\"operation\":\"creating\",\"waiting_for\":\"" + reason + "\"}]");
    }

    @Test
    void theTimingNamesTheCriticalPathWithEachDuration() {
        CriticalPath path = new CriticalPath(Duration.ofSeconds(12), List.of(
                new CriticalPath.Step("network/vpc", "creating", Duration.ofMillis(300)),
                new CriticalPath.Step("cluster.apps/cluster", "creating", Duration.ofMillis(11_700))));

        assertThat(ProgressRenderer.timing(new ApplyResult.Timing(Duration.ofSeconds(13), path))).containsExactly(
                "Wall time 13s; critical path 12s (wall / critical path = 1.08):",
                "  network/vpc           creating           0.3s",
                "  cluster.apps/cluster  creating           11s");
        assertThat(ProgressRenderer.timing(ApplyResult.Timing.NONE)).isEmpty();
    }
}
