package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(now::get);

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void sendsFreelyUntilThrottled() {
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.acquire()).isZero();
            limiter.record(false);
        }
        assertThat(limiter.rate()).isInfinite();
    }

    @Test
    void aStrayThrottleDoesNotSlowAnything() {
        for (int i = 0; i < 200; i++) {
            limiter.record(i % 10 == 0);
            advanceMillis(10);
        }
        assertThat(limiter.rate()).isInfinite();
    }

    @Test
    void mostCallsThrottledLimitsToWhatGotThroughThenRecovers() {
        // 40 calls a second, of which AWS lets 20 through.
        for (int i = 0; i < 80; i++) {
            limiter.record(i % 2 == 1);
            advanceMillis(25);
        }
        double limited = limiter.rate();
        assertThat(limited).isBetween(RateLimiter.MIN_RATE, 20.0);
        assertThat(limiter.acquire()).isZero();
        assertThat(limiter.acquire()).isGreaterThan(Duration.ZERO);

        // AWS lets everything through again: the limit rises, then is lifted.
        for (int i = 0; i < 200 && !Double.isInfinite(limiter.rate()); i++) {
            limiter.record(false);
            advanceMillis(1000 / 20);
        }
        assertThat(limiter.rate()).isInfinite();
    }

    @Test
    void limitedAttemptsAreSpacedOut() {
        for (int i = 0; i < 20; i++) {
            limiter.record(true);
        }
        assertThat(limiter.rate()).isEqualTo(RateLimiter.MIN_RATE);
        assertThat(limiter.acquire()).isZero();
        assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(1));
        assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(2));
    }
}
