package dev.infra.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A free slot goes to the waiter with the longest path ahead; among equals, to the first that came. */
class SlotsTest {

    @Test
    void theLongestPathAheadGoesFirst() throws Exception {
        Slots slots = new Slots(1);
        slots.acquire(0);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = List.of(waiter(slots, "quick", 2, order), waiter(slots, "cluster", 600, order),
                waiter(slots, "quick-2", 2, order));
        for (Thread t : threads) {
            t.start();
            Thread.sleep(100); // in this order
        }
        slots.release();
        for (Thread t : threads) {
            t.join(5_000);
        }
        assertThat(order).containsExactly("cluster", "quick", "quick-2");
    }

    private static Thread waiter(Slots slots, String name, double priority, List<String> order) {
        return new Thread(() -> {
            slots.acquireUninterruptibly(priority);
            order.add(name);
            slots.release();
        });
    }
}
