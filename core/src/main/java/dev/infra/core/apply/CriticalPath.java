package dev.infra.core.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The chain of operations that sets how long an apply takes however many run at once: the longest path through
 * the operation graph, each operation weighted by its duration. An apply whose waits do not hold others up takes
 * about this long; the ratio of its wall time to this says how much the parallelism limit cost.
 */
public record CriticalPath(Duration length, List<Step> steps) {

    public static final CriticalPath NONE = new CriticalPath(Duration.ZERO, List.of());

    public CriticalPath {
        steps = List.copyOf(steps);
    }

    /** One operation of the chain and what it took (or is estimated to take). */
    public record Step(String address, String operation, Duration duration) {}

    /**
     * The longest path through {@code operations} (in dependency order: each after the ones it waits for), each
     * taking {@code duration}; an operation with no duration (not run) counts as zero.
     */
    public static CriticalPath of(List<Operation> operations, Function<String, Duration> duration) {
        Map<String, Duration> finish = new HashMap<>();
        Map<String, String> via = new HashMap<>();
        String last = null;
        for (Operation op : operations) {
            Duration start = Duration.ZERO;
            String from = null;
            for (String before : op.after()) {
                Duration f = finish.get(before);
                if (f != null && (from == null || f.compareTo(start) > 0)) {
                    start = f;
                    from = before;
                }
            }
            if (from != null) {
                via.put(op.key(), from);
            }
            Duration own = duration.apply(op.key());
            Duration end = start.plus(own == null ? Duration.ZERO : own);
            finish.put(op.key(), end);
            if (last == null || end.compareTo(finish.get(last)) > 0) {
                last = op.key();
            }
        }
        if (last == null) {
            return NONE;
        }
        Map<String, Operation> byKey = new HashMap<>();
        operations.forEach(o -> byKey.put(o.key(), o));
        List<Step> chain = new ArrayList<>();
        for (String k = last; k != null; k = via.get(k)) {
            Duration own = duration.apply(k);
            chain.add(new Step(byKey.get(k).address(), byKey.get(k).operation(), own == null ? Duration.ZERO : own));
        }
        Collections.reverse(chain);
        return new CriticalPath(finish.get(last), chain);
    }
}
