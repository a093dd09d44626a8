package dev.infra.core.apply;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The apply's parallelism slots. A free slot goes to the waiting operation with the longest path ahead of it
 * (critical path first: list scheduling's classic rule), so that a NAT gateway, a cluster or a domain that others
 * wait for is not queued behind dozens of quick, independent creates; among equals, first come first served.
 */
final class Slots {

    private record Waiter(double priority, long order) {}

    private static final Comparator<Waiter> FIRST = Comparator.comparingDouble(Waiter::priority).reversed()
            .thenComparingLong(Waiter::order);

    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(FIRST);
    private int free;
    private long arrivals;

    Slots(int slots) {
        this.free = slots;
    }

    /** Takes a slot for an operation whose path ahead is {@code priority} long (seconds, say). */
    synchronized void acquire(double priority) throws InterruptedException {
        Waiter me = new Waiter(priority, arrivals++);
        waiting.add(me);
        try {
            while (free == 0 || waiting.peek() != me) {
                wait();
            }
        } catch (InterruptedException e) {
            waiting.remove(me);
            notifyAll();
            throw e;
        }
        waiting.poll();
        free--;
        notifyAll(); // the next waiter may take another free slot
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

    synchronized void release() {
        free++;
        notifyAll();
    }
}
