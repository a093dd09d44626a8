package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelReadsTest {

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsRunTogetherAndKeepTheListingsOrderWithoutTheGone() {
        List<Integer> items = IntStream.range(0, ParallelReads.THREADS).boxed().toList();
        long start = System.nanoTime();
        List<Integer> read = ParallelReads.each(items, i -> {
            sleep(200);
            return i % 3 == 0 ? Optional.empty() : Optional.of(i * 10);
        });
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(read).containsExactlyElementsOf(items.stream().filter(i -> i % 3 != 0).map(i -> i * 10).toList());
        assertThat(ms).as("16 reads of 200 ms together, not one after another (3.2 s)").isLessThan(1_500);
    }

    @Test
    void nestedReadsBeyondThePoolDoNotDeadlock() {
        // More listings than threads, each forking more reads than threads: waiting threads run what is not started.
        int n = ParallelReads.THREADS * 2;
        AtomicInteger inner = new AtomicInteger();
        List<Integer> read = ParallelReads.each(IntStream.range(0, n).boxed().toList(),
                i -> Optional.of(ParallelReads.each(IntStream.range(0, n).boxed().toList(), j -> {
                    inner.incrementAndGet();
                    sleep(1);
                    return Optional.of(j);
                }).size()));
        assertThat(read).hasSize(n).containsOnly(n);
        assertThat(inner).hasValue(n * n);
    }

    @Test
    void aFailedReadThrowsAsItWas() {
        IllegalStateException boom = new IllegalStateException("AccessDenied");
        assertThatThrownBy(() -> ParallelReads.each(List.of(1, 2, 3), i -> {
            if (i == 2) {
                throw boom;
            }
            return Optional.of(i);
        })).isSameAs(boom);
        ParallelReads.Forked<String> forked = ParallelReads.fork(() -> {
            throw boom;
        });
        assertThatThrownBy(forked::join).isSameAs(boom);
    }
}
