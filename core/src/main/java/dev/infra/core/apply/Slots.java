package dev.infra.core.apply;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The apply's parallelism slots. A free slot goes to the waiting operation with the longest path ahead of it
 * (critical path first: list scheduling's classic rule), so that a NAT gateway, a cluster or a domain that others
 * wait for is not queued behind dozens of quick, independent creates; among equals, first come first served.
 */
final class Slots {

    /** A waiting operation, woken alone ({@code turn}) when it is first in line and a slot may be free. */
    private record Waiter(double priority, long order, Condition turn) {}

    private static final Comparator<Waiter> FIRST = Comparator.comparingDouble(Waiter::priority).reversed()
            .thenComparingLong(Waiter::order);

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(FIRST);
    private int free;
    private long arrivals;

    Slots(int slots) {
        this.free = slots;
    }

    /** Takes a slot for an operation whose path ahead is {@code priority} long (seconds, say). */
    void acquire(double priority) throws InterruptedException {
        lock.lock();
        try {
            Waiter me = new Waiter(priority, arrivals++, lock.newCondition());
            waiting.add(me);
            try {
                while (free == 0 || waiting.peek() != me) {
                    me.turn().await();
                }
            } catch (InterruptedException e) {
                waiting.remove(me);
                wakeFirst();
                throw e;
            }
            waiting.poll();
            free--;
            wakeFirst(); // the next waiter may take another free slot
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #acquire}, not giving up when interrupted (the interrupt is kept for the caller to see). */
    void acquireUninterruptibly(double priority) {
        boolean interrupted = false;
        while (true) {
            try {
                acquire(priority);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void release() {
        lock.lock();
        try {
            free++;
            wakeFirst();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes only the first in line: waking every waiter at each release (thousands at once when a group's rules all
     * become ready) costs the apply O(n²) wake-ups.
     */
    private void wakeFirst() {
        if (free > 0 && !waiting.isEmpty()) {
            waiting.peek().turn().signal();
        }
    }
}
