package dev.infra.cli.render;

import dev.infra.cli.Console;
import dev.infra.core.apply.ApplyEvent;
import dev.infra.core.apply.ApplyResult;
import dev.infra.core.apply.CriticalPath;
import dev.infra.core.apply.Progress;
import dev.infra.core.state.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Apply progress on stdout (a failed operation's error on stderr), three ways:
 * <ul>
 * <li>{@link Mode#STATUS} (a terminal): finished operations scroll as lines above one status line kept at the bottom
 * and redrawn every second: counts, elapsed, the slowest in flight and the estimated time left;</li>
 * <li>{@link Mode#LINES} (a file, a pipe): one line per start and finish, and once per heartbeat interval one
 * summary line of the same content (not one line per waiting operation);</li>
 * <li>{@link Mode#JSON}: one NDJSON event per line (types as Terraform's machine UI names them), and once per
 * heartbeat interval an {@code apply_summary} event.</li>
 * </ul>
 * Close it when the apply is over: the status line is cleared and the timer stopped.
 */
public final class ProgressRenderer implements Consumer<ApplyEvent>, AutoCloseable {

    public enum Mode { STATUS, LINES, JSON }

    /** How many in-flight operations the status line names. */
    private static final int SLOWEST = 3;
    private static final Duration REDRAW = Duration.ofSeconds(1);

    private final Console console;
    private final Mode mode;
    private final Duration heartbeat;
    private final IntSupplier width;
    private final Progress progress = Progress.create();
    private ScheduledExecutorService timer;
    private boolean statusShown;

    /** {@code width}: the terminal's columns, read at each redraw (STATUS only). */
    public ProgressRenderer(Console console, Mode mode, Duration heartbeat, IntSupplier width) {
        this.console = console;
        this.mode = mode;
        this.heartbeat = heartbeat;
        this.width = width;
    }

    @Override
    public synchronized void accept(ApplyEvent e) {
        progress.accept(e);
        if (e instanceof ApplyEvent.Began) {
            startTimer();
            return;
        }
        ApplyEvent.OfOperation o = (ApplyEvent.OfOperation) e;
        if (mode == Mode.JSON) {
            console.result(toJson(o));
            return;
        }
        if (e instanceof ApplyEvent.Waiting || (mode == Mode.STATUS && e instanceof ApplyEvent.Started)) {
            return; // the summary line (or the status line) reports those in flight
        }
        line(text(o), e instanceof ApplyEvent.Failed);
    }

    private String text(ApplyEvent.OfOperation e) {
        if (e instanceof ApplyEvent.Started s) {
            return s.address() + ": " + s.operation() + "...";
        }
        if (e instanceof ApplyEvent.Completed c) {
            return c.address() + ": " + done(c.operation()) + (c.id() == null ? "" : " (" + c.id() + ")")
                    + " after " + duration(c.elapsed());
        }
        if (e instanceof ApplyEvent.Failed f) {
            return console.red("error: ") + f.message();
        }
        ApplyEvent.Skipped s = (ApplyEvent.Skipped) e;
        return s.address() + ": skipped (" + s.failedDependency() + " failed)";
    }

    /** A line above the status line; an error goes to stderr, as every error does. */
    private void line(String text, boolean error) {
        if (statusShown) {
            console.out().print("\r\u001b[K");
            console.out().flush();
        }
        if (error) {
            console.progress(text);
        } else {
            console.out().println(text);
        }
        if (statusShown) {
            console.out().print(fit(summary(progress.snapshot(SLOWEST))));
        }
        console.out().flush();
    }

    private void startTimer() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "infra-progress");
            t.setDaemon(true);
            return t;
        });
        long every = (mode == Mode.STATUS ? REDRAW : heartbeat).toMillis();
        timer.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        Progress.Snapshot s = progress.snapshot(SLOWEST);
        switch (mode) {
            case STATUS -> {
                console.out().print("\r\u001b[K" + fit(summary(s)));
                console.out().flush();
                statusShown = true;
            }
            case LINES -> {
                if (s.running() > 0) {
                    console.result(summary(s));
                }
            }
            case JSON -> console.result(toJson(s));
        }
    }

    /** The status line cut to the terminal's width, so that it never wraps (a wrapped line cannot be redrawn). */
    private String fit(String status) {
        int columns = width.getAsInt();
        return columns > 1 && status.length() >= columns ? status.substring(0, columns - 4) + "..." : status;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (statusShown) {
            console.out().print("\r\u001b[K");
            console.out().flush();
            statusShown = false;
        }
    }

    /**
     * "12/40 done, 3 in flight, 25 waiting, 0 failed | 1m05s | slowest: a creating 50s (waiting: IAM propagation of
     * …), … | about 2m left".
     */
    static String summary(Progress.Snapshot s) {
        StringBuilder sb = new StringBuilder().append(s.done()).append('/').append(s.total()).append(" done, ")
                .append(s.running()).append(" in flight, ").append(s.waiting()).append(" waiting, ")
                .append(s.failed()).append(" failed");
        if (s.skipped() > 0) {
            sb.append(", ").append(s.skipped()).append(" skipped");
        }
        sb.append(" | ").append(duration(s.elapsed())).append(" elapsed");
        if (!s.slowest().isEmpty()) {
            List<String> slow = new ArrayList<>();
            s.slowest().forEach(r -> slow.add(r.address() + " " + r.operation() + " " + duration(r.elapsed())
                    + (r.waitingFor() == null ? "" : " (waiting: " + r.waitingFor() + ")")));
            sb.append(" | slowest: ").append(String.join(", ", slow));
        }
        return sb.append(" | about ").append(duration(s.left())).append(" left").toString();
    }

    /**
     * The timing of a finished walk: wall time, critical path and their ratio, then the path's chain, one operation
     * a line with its duration. Empty when nothing ran.
     */
    public static List<String> timing(ApplyResult.Timing t) {
        CriticalPath path = t.criticalPath();
        if (path.steps().isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Wall time %s; critical path %s (wall / critical path = %.2f):", duration(t.wall()),
                duration(path.length()), t.ratio()));
        int width = path.steps().stream().mapToInt(s -> s.address().length()).max().orElse(0);
        path.steps().forEach(s -> lines.add(String.format("  %-" + width + "s  %-18s %s", s.address(), s.operation(),
                duration(s.duration()))));
        return lines;
    }

    private static String done(String operation) {
        return switch (operation) {
            case "creating" -> "created";
            case "re-creating" -> "re-created";
            case "updating" -> "updated";
            default -> "deleted";
        };
    }

    /** 0.4s, 12s, 3m05s, 1h02m: tenths only where they matter. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        return s < 3600 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }

    private static String toJson(ApplyEvent.OfOperation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("@timestamp", Instant.now().toString());
        String type;
        if (e instanceof ApplyEvent.Started) {
            type = "apply_start";
        } else if (e instanceof ApplyEvent.Waiting w) {
            type = "apply_progress";
            m.put("elapsed_seconds", w.elapsed().toSeconds());
            if (w.waitingFor() != null) {
                m.put("waiting_for", w.waitingFor());
            }
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
        return write(m);
    }

    private static String toJson(Progress.Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("@timestamp", Instant.now().toString());
        m.put("@level", "info");
        m.put("type", "apply_summary");
        m.put("total", s.total());
        m.put("done", s.done());
        m.put("in_flight", s.running());
        m.put("waiting", s.waiting());
        m.put("failed", s.failed());
        m.put("skipped", s.skipped());
        m.put("elapsed_seconds", s.elapsed().toSeconds());
        m.put("estimated_seconds_left", s.left().toSeconds());
        m.put("slowest", s.slowest().stream().map(r -> {
            Map<String, Object> slow = new LinkedHashMap<>();
            slow.put("address", r.address());
            slow.put("operation", r.operation());
            slow.put("elapsed_seconds", r.elapsed().toSeconds());
            if (r.waitingFor() != null) {
                slow.put("waiting_for", r.waitingFor());
            }
            return slow;
        }).toList());
        return write(m);
    }

    private static String write(Map<String, Object> m) {
        try {
            return Json.COMPACT.writeValueAsString(m);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
