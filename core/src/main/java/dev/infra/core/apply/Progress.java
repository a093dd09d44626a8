package dev.infra.core.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Where an apply stands, from its events: how many operations are done, in flight, waiting and failed, the
 * slowest in flight, and an estimate of the time left. The estimate is the critical path of what remains, each
 * operation taking its {@link TypicalDurations typical duration}, refined by what this apply measured: the mean of
 * the finished operations of the same type and kind where there are some, else the typical duration scaled by how
 * the finished ones compared with theirs ({@link Scale}; slow and quick operations apart: an emulator shortens the
 * first only).
 * Thread-safe; a {@link ApplyEvent.Began} starts over (each region's walk is one apply).
 */
public final class Progress implements Consumer<ApplyEvent> {

    /** In flight: what, for how long so far, and what it waits for (null when its last heartbeat named nothing). */
    public record Running(String address, String operation, Duration elapsed, String waitingFor) {}

    /** The counts of one moment, the slowest in flight first, and the estimated time left. */
    public record Snapshot(int total, int done, int running, int waiting, int failed, int skipped, Duration elapsed,
                           List<Running> slowest, Duration left) {}

    private final LongSupplier clock;
    private List<Operation> operations = List.of();
    private final Map<String, Operation> byEvent = new HashMap<>();
    private final Map<String, Long> started = new HashMap<>();
    private final Map<String, Duration> finished = new HashMap<>();
    private final Set<String> failed = new HashSet<>();
    private final Set<String> skipped = new HashSet<>();
    /** What each operation in flight waits for, from its last heartbeat. */
    private final Map<String, String> waitingFor = new HashMap<>();
    private long begun;

    private Progress(LongSupplier clock) {
        this.clock = clock;
        this.begun = clock.getAsLong();
    }

    public static Progress create() {
        return new Progress(System::nanoTime);
    }

    /** With a clock of its own (nanoseconds), for tests. */
    public static Progress withClock(LongSupplier nanos) {
        return new Progress(nanos);
    }

    @Override
    public synchronized void accept(ApplyEvent e) {
        if (e instanceof ApplyEvent.Began b) {
            operations = b.operations();
            byEvent.clear();
            started.clear();
            finished.clear();
            failed.clear();
            skipped.clear();
            waitingFor.clear();
            operations.forEach(o -> byEvent.put(o.address() + " " + o.operation(), o));
            begun = clock.getAsLong();
            return;
        }
        ApplyEvent.OfOperation o = (ApplyEvent.OfOperation) e;
        Operation op = byEvent.get(o.address() + " " + o.operation());
        if (op == null) {
            return;
        }
        if (e instanceof ApplyEvent.Started) {
            started.put(op.key(), clock.getAsLong());
        } else if (e instanceof ApplyEvent.Waiting w) {
            if (w.waitingFor() == null) {
                waitingFor.remove(op.key());
            } else {
                waitingFor.put(op.key(), w.waitingFor());
            }
        } else if (e instanceof ApplyEvent.Completed c) {
            started.remove(op.key());
            waitingFor.remove(op.key());
            finished.put(op.key(), c.elapsed());
        } else if (e instanceof ApplyEvent.Failed f) {
            started.remove(op.key());
            waitingFor.remove(op.key());
            finished.put(op.key(), f.elapsed());
            failed.add(op.key());
        } else if (e instanceof ApplyEvent.Skipped) {
            skipped.add(op.key());
        }
    }

    /** Where the apply stands now; {@code slowest}: at most that many of those in flight. */
    public synchronized Snapshot snapshot(int slowest) {
        long now = clock.getAsLong();
        List<Running> running = new ArrayList<>();
        Map<String, Operation> byKey = new HashMap<>();
        operations.forEach(o -> byKey.put(o.key(), o));
        started.forEach((k, at) -> running.add(new Running(byKey.get(k).address(), byKey.get(k).operation(),
                Duration.ofNanos(now - at), waitingFor.get(k))));
        running.sort(Comparator.comparing(Running::elapsed).reversed().thenComparing(Running::address));
        Estimates estimates = new Estimates();
        Duration left = CriticalPath.of(operations, k -> {
            if (finished.containsKey(k) || skipped.contains(k)) {
                return Duration.ZERO;
            }
            Duration estimate = estimates.of(byKey.get(k));
            Long at = started.get(k);
            Duration remaining = at == null ? estimate : estimate.minus(Duration.ofNanos(now - at));
            return remaining.isNegative() ? Duration.ZERO : remaining;
        }).length();
        int done = finished.size() - failed.size();
        int waiting = operations.size() - finished.size() - started.size() - skipped.size();
        return new Snapshot(operations.size(), done, started.size(), waiting, failed.size(), skipped.size(),
                Duration.ofNanos(now - begun), List.copyOf(running.subList(0, Math.min(slowest, running.size()))), left);
    }

    /** Estimated durations from what finished so far. */
    private final class Estimates {
        private final Map<String, long[]> measured = new HashMap<>(); // type + kind -> {total nanos, count}
        private final Scale slow;
        private final Scale quick;

        Estimates() {
            List<double[]> slowPoints = new ArrayList<>();
            List<double[]> quickPoints = new ArrayList<>(); // {typical, measured} in seconds
            Map<String, Operation> byKey = new HashMap<>();
            operations.forEach(o -> byKey.put(o.key(), o));
            finished.forEach((k, took) -> {
                Operation op = byKey.get(k);
                if (failed.contains(k)) {
                    return;
                }
                measured.computeIfAbsent(kindOf(op), x -> new long[2])[0] += took.toNanos();
                measured.get(kindOf(op))[1]++;
                Duration typical = TypicalDurations.of(op.type(), op.kind());
                (isSlow(typical) ? slowPoints : quickPoints).add(new double[] {seconds(typical), seconds(took)});
            });
            Optional<Scale> s = Scale.fit(slowPoints);
            Optional<Scale> q = Scale.fit(quickPoints);
            slow = s.or(() -> q).orElse(Scale.AS_TYPICAL);
            quick = q.or(() -> s).orElse(Scale.AS_TYPICAL);
        }

        Duration of(Operation op) {
            long[] m = measured.get(kindOf(op));
            if (m != null) {
                return Duration.ofNanos(m[0] / m[1]);
            }
            Duration typical = TypicalDurations.of(op.type(), op.kind());
            double estimate = (isSlow(typical) ? slow : quick).of(seconds(typical));
            return Duration.ofNanos((long) (estimate * 1e9));
        }

        private static boolean isSlow(Duration typical) {
            return typical.compareTo(TypicalDurations.SLOW) >= 0;
        }

        private static double seconds(Duration d) {
            return d.toNanos() / 1e9;
        }

        private static String kindOf(Operation op) {
            return op.type() + " " + op.kind();
        }
    }

    /**
     * How this apply's durations compare with the typical ones: measured ≈ offset + factor × typical. The offset is
     * what every operation costs whatever its length (calls, the first polls), which a plain ratio taken from short
     * operations would scale up into the long ones; it is fitted only where the operations' typical durations
     * differ, and kept between zero and the shortest measured.
     */
    record Scale(double offset, double factor) {
        static final Scale AS_TYPICAL = new Scale(0, 1);

        double of(double typical) {
            return offset + factor * typical;
        }

        /** Fitted to {typical, measured} pairs (seconds); empty without any. */
        static Optional<Scale> fit(List<double[]> points) {
            if (points.isEmpty()) {
                return Optional.empty();
            }
            double n = points.size();
            double meanT = points.stream().mapToDouble(p -> p[0]).sum() / n;
            double meanM = points.stream().mapToDouble(p -> p[1]).sum() / n;
            double spread = points.stream().mapToDouble(p -> (p[0] - meanT) * (p[0] - meanT)).sum();
            double offset = 0;
            if (spread > 0) {
                double slope = points.stream().mapToDouble(p -> (p[0] - meanT) * (p[1] - meanM)).sum() / spread;
                double shortest = points.stream().mapToDouble(p -> p[1]).min().orElse(0);
                offset = Math.max(0, Math.min(shortest, meanM - slope * meanT));
            }
            double typical = points.stream().mapToDouble(p -> p[0]).sum();
            double rest = points.stream().mapToDouble(p -> p[1]).sum() - offset * n;
            return Optional.of(rest > 0 ? new Scale(offset, rest / typical) : new Scale(0, meanM * n / typical));
        }
    }
}
