package dev.infra.cli.render;

import dev.infra.cli.Console;
import dev.infra.core.apply.ApplyEvent;
import dev.infra.core.state.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Apply progress on stderr: one line per start and finish, heartbeats while waiting; or, with
 * {@code --json}, one NDJSON event per line on stdout (types as Terraform's machine UI names them).
 */
public final class ProgressRenderer implements Consumer<ApplyEvent> {

    private final Console console;
    private final boolean json;

    public ProgressRenderer(Console console, boolean json) {
        this.console = console;
        this.json = json;
    }

    @Override
    public void accept(ApplyEvent e) {
        if (json) {
            console.result(toJson(e));
            return;
        }
        String line;
        if (e instanceof ApplyEvent.Started s) {
            line = s.address() + ": " + s.operation() + "...";
        } else if (e instanceof ApplyEvent.Waiting w) {
            line = w.address() + ": still " + w.operation() + "... [" + seconds(w.elapsed()) + " elapsed]";
        } else if (e instanceof ApplyEvent.Completed c) {
            line = c.address() + ": " + done(c.operation()) + (c.id() == null ? "" : " (" + c.id() + ")")
                    + " after " + seconds(c.elapsed());
        } else if (e instanceof ApplyEvent.Failed f) {
            line = console.red("error: ") + f.message();
        } else {
            ApplyEvent.Skipped s = (ApplyEvent.Skipped) e;
            line = s.address() + ": skipped (" + s.failedDependency() + " failed)";
        }
        console.progress(line);
    }

    private static String done(String operation) {
        return switch (operation) {
            case "creating" -> "created";
            case "re-creating" -> "re-created";
            case "updating" -> "updated";
            default -> "deleted";
        };
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }

    private static String toJson(ApplyEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("@timestamp", Instant.now().toString());
        String type;
        if (e instanceof ApplyEvent.Started) {
            type = "apply_start";
        } else if (e instanceof ApplyEvent.Waiting w) {
            type = "apply_progress";
            m.put("elapsed_seconds", w.elapsed().toSeconds());
        } else if (e instanceof ApplyEvent.Completed c) {
            type = "apply_complete";
            m.put("id", c.id());
            m.put("elapsed_seconds", c.elapsed().toSeconds());
        } else if (e instanceof ApplyEvent.Failed f) {
            type = "apply_errored";
            m.put("@level", "error");
            m.put("message", f.message());
        } else {
            type = "apply_skipped";
            m.put("failed_dependency", ((ApplyEvent.Skipped) e).failedDependency());
        }
        m.putIfAbsent("@level", "info");
        m.put("type", type);
        m.put("address", e.address());
        m.put("operation", e.operation());
        try {
            return Json.COMPACT.writeValueAsString(m);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
