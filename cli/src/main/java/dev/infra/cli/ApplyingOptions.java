package dev.infra.cli;

import dev.infra.cli.render.ProgressRenderer;
import dev.infra.core.apply.Cancellation;
import dev.infra.core.stack.Engine;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the commands that change infrastructure (apply, destroy). */
final class ApplyingOptions {

    @Option(names = "--auto-approve", description = "Do not ask for confirmation (required without a terminal).")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "10",
            description = "How many resource operations run at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--json", description = "Progress as NDJSON events on stdout.")
    boolean json;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between 'still creating' lines (default: ${DEFAULT-VALUE}).")
    int heartbeatSeconds;

    Engine.ApplyOptions toEngine(Console console, Cancellation cancellation) {
        if (parallelism < 1) {
            throw new UsageException("--parallelism must be at least 1, got " + parallelism);
        }
        return new Engine.ApplyOptions(parallelism, Duration.ofSeconds(Math.max(1, heartbeatSeconds)),
                new ProgressRenderer(console, json), cancellation);
    }
}
