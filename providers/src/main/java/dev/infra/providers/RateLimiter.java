package dev.infra.providers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The client-side rate limit of one service in one region, shared by all its clients (AWS throttles per account,
 * Region and API). It lets every attempt go until AWS throttles a good share of the recent ones ({@value #ENGAGE} of
 * them, a moving average): then the account's token bucket is empty, which a stray throttle does not say. From then on
 * attempts are spaced out at four fifths of the rate that was getting through in the last second (at least {@value
 * #MIN_RATE} a second), lowered again at each further throttle while the share stays high; once it is low again (below
 * {@value #RELAX}) each attempt that gets through raises the rate by 5 %, and the limit is lifted when it is twice what
 * gets through. Thread-safe.
 */
public final class RateLimiter {

    static final double ENGAGE = 0.4;
    static final double RELAX = 0.15;
    static final double MIN_RATE = 1;
    /** Weight of the latest attempt in the throttled share. */
    private static final double WEIGHT = 0.05;
    private static final long SECOND = 1_000_000_000L;

    private final LongSupplier nanoTime;
    /** Moving average of "this attempt was throttled" (1) or not (0). */
    private double share;
    /** Attempts per second allowed; infinite while not limiting. */
    private double rate = Double.POSITIVE_INFINITY;
    /** When the next attempt may go (nanoTime). */
    private long next;
    /** When the attempts of the last second that were not throttled ended. */
    private final ArrayDeque<Long> through = new ArrayDeque<>();

    public RateLimiter() {
        this(System::nanoTime);
    }

    RateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.next = nanoTime.getAsLong();
    }

    /** How long the next attempt must wait: zero while not limiting; reserves its turn. */
    public synchronized Duration acquire() {
        if (Double.isInfinite(rate)) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        long at = Math.max(now, next);
        next = at + (long) (SECOND / rate);
        return Duration.ofNanos(at - now);
    }

    /** Records an attempt's outcome: throttled by AWS, or not (a success or any other answer). */
    public synchronized void record(boolean throttled) {
        long now = nanoTime.getAsLong();
        share += WEIGHT * ((throttled ? 1 : 0) - share);
        if (!throttled) {
            through.addLast(now);
        }
        while (!through.isEmpty() && through.peekFirst() < now - SECOND) {
            through.removeFirst();
        }
        double gettingThrough = Math.max(MIN_RATE, through.size());
        if (throttled && share > ENGAGE) {
            rate = Math.max(MIN_RATE, Math.min(rate, 0.8 * gettingThrough));
        } else if (!throttled && share < RELAX && !Double.isInfinite(rate)) {
            rate = rate * 1.05 > 2 * gettingThrough ? Double.POSITIVE_INFINITY : rate * 1.05;
        }
    }

    /** Attempts per second allowed now; infinite while not limiting. */
    public synchronized double rate() {
        return rate;
    }
}
