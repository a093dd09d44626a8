package dev.infra.cli;

import dev.infra.cli.render.ProgressRenderer;
import dev.infra.cli.render.StackRenderer;
import dev.infra.core.apply.Cancellation;
import dev.infra.core.stack.Engine;
import dev.infra.core.stack.StackEngine;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that change infrastructure (apply, destroy). */
final class ApplyingOptions {

    @Option(names = "--auto-approve", description = "Do not ask for confirmation (required without a terminal).")
    boolean autoApprove;

    static final String FORCE_DELETE_DATA = "Let deletes take the data they hold along: the buckets they delete are"
            + " emptied first (except one holding CloudTrail logs, which only its own forceDestroy: true lets go)."
            + " Without it, deleting a bucket that holds objects is refused before anything changes.";

    @Option(names = "--force-delete-data", description = FORCE_DELETE_DATA + " Asks a second time, listing what goes,"
            + " unless --auto-approve.")
    boolean forceDeleteData;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "10",
            description = "How many resource operations run at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--json", description = "Progress as NDJSON events on stdout (the plan and the closing lines go to"
            + " stderr then).")
    boolean json;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between progress summaries without a terminal (a line; with --json an apply_summary"
                    + " event, and apply_progress events of each operation in flight) (default: ${DEFAULT-VALUE}).")
    int heartbeatSeconds;

    private ProgressRenderer progress;
    private TerminalColumns columns;

    /**
     * Where the plan and the closing lines go: stdout, as {@code plan}'s do (so {@code > log} captures the whole
     * apply), except with {@code --json}, whose stdout holds NDJSON events only.
     */
    void say(Console console, String text) {
        if (json) {
            console.progress(text);
        } else {
            console.result(text);
        }
    }

    /** The plan's confirmation, then (when its deletes take data along) a second one listing that data. */
    boolean confirm(Console console, StackEngine.StackPlan plan, String question) {
        say(console, new StackRenderer(console).render(plan));
        if (!Confirmation.ask(console, question, autoApprove)) {
            return false;
        }
        List<String> lost = StackRenderer.dataLost(plan);
        if (lost.isEmpty()) {
            return true;
        }
        say(console, "These deletes also delete the data they hold, for good:\n" + String.join("\n", lost));
        return Confirmation.ask(console, "Delete this data as well?", autoApprove);
    }

    Engine.ApplyOptions toEngine(Console console, Cancellation cancellation) {
        if (parallelism < 1) {
            throw new UsageException("--parallelism must be at least 1, got " + parallelism);
        }
        Duration heartbeat = Duration.ofSeconds(Math.max(1, heartbeatSeconds));
        // A live status line only where someone watches: stdout is a terminal (System.console() needs stdin too).
        ProgressRenderer.Mode mode = json ? ProgressRenderer.Mode.JSON
                : System.console() != null ? ProgressRenderer.Mode.STATUS : ProgressRenderer.Mode.LINES;
        columns = new TerminalColumns();
        progress = new ProgressRenderer(console, mode, heartbeat, columns);
        return new Engine.ApplyOptions(parallelism, heartbeat, progress, cancellation, forceDeleteData);
    }

    /** The apply is over: the status line goes, before the closing lines are written. */
    void progressDone() {
        if (progress != null) {
            progress.close();
            columns.close();
        }
    }
}
