package dev.infra.providers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The reads of a plan that do not depend on each other, run concurrently: a listing's per-resource detail reads and
 * a resource's independent configuration reads (a bucket's five), so added latency costs about one round trip per
 * chain of dependent calls rather than one per call.
 *
 * <p>Bounded: at most {@value #THREADS} reads run on the shared pool, for every provider and region together, besides
 * the threads that wait for them. A waiting thread runs the reads no pool thread has started yet itself, so nested
 * forks (the buckets of a listing, then each bucket's reads) never deadlock and never wait on a full queue. Throttling
 * stays the clients' business: every attempt still goes through the service's {@link RateLimiter} and {@link
 * RetryPolicy}, which space attempts out once AWS throttles, however many threads send them.
 */
public final class ParallelReads {

    static final int THREADS = 16;

    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "infra-read");
        t.setDaemon(true); // reads are never left half-done on purpose: a command that ends does not wait for them
        return t;
    });

    private ParallelReads() {
    }

    /** A read started on the pool; {@link #join} gives its result, running it on the caller if it has not started. */
    public static final class Forked<T> {
        private final FutureTask<T> task;

        private Forked(FutureTask<T> task) {
            this.task = task;
        }

        /** The read's result; what it threw is thrown as it was (an unchecked exception or an error). */
        public T join() {
            task.run(); // a no-op once a pool thread has started (or finished) it
            try {
                return task.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while reading");
            }
        }
    }

    /** Starts {@code read} on the pool. */
    public static <T> Forked<T> fork(Supplier<T> read) {
        FutureTask<T> task = new FutureTask<>(read::get);
        POOL.execute(task);
        return new Forked<>(task);
    }

    /** {@code read} of every item, concurrently, in the items' order; the empty answers (gone) left out. */
    public static <T, R> List<R> each(Collection<T> items, Function<T, Optional<R>> read) {
        if (items.size() <= 1) {
            List<R> out = new ArrayList<>();
            items.forEach(i -> read.apply(i).ifPresent(out::add));
            return out;
        }
        List<Forked<Optional<R>>> forked = new ArrayList<>();
        items.forEach(i -> forked.add(fork(() -> read.apply(i))));
        List<R> out = new ArrayList<>();
        for (Forked<Optional<R>> f : forked) {
            f.join().ifPresent(out::add);
        }
        return out;
    }
}
