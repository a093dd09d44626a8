package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.provider.ProviderException;
import dev.infra.providers.testing.SleepingOperationContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** {@link Lifecycle} over a resource whose describe answers a scripted series of statuses (the last one repeats). */
class LifecycleTest {

    private final Deque<String> statuses = new ArrayDeque<>();
    private final List<String> calls = new ArrayList<>();
    private final Lifecycle<String> life = Lifecycle.of("thing", id -> Optional.ofNullable(next()),
                    "deleting"::equals, Duration.ofMinutes(5), Duration.ofSeconds(10))
            .withBusy(e -> "Busy".equals(e.code()))
            .withFailed(s -> s.equals("failed") ? "failed for good" : null)
            .withDeleteFailed(s -> s.equals("delete-failed") ? s : null);
    private final SleepingOperationContext ctx = SleepingOperationContext.pretending("x/thing");

    private String next() {
        String s = statuses.size() > 1 ? statuses.poll() : statuses.peek();
        return "gone".equals(s) ? null : s;
    }

    private void script(String... s) {
        statuses.clear();
        statuses.addAll(List.of(s));
    }

    /** A call that AWS refuses as busy {@code refusals} times, then makes. */
    private Runnable call(String name, int refusals) {
        int[] left = {refusals};
        return () -> AwsCallException.call(name, () -> {
            calls.add(name);
            if (left[0]-- > 0) {
                throw AwsServiceException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("Busy").errorMessage("busy").build()).build();
            }
            return null;
        });
    }

    @Test
    void whatIsBeingDeletedIsNotLive() {
        script("deleting");
        assertThat(life.live("a")).isEmpty();
        script("available");
        assertThat(life.live("a")).contains("available");
    }

    @Test
    void aChangeIsRetriedWhileBusyThenWaitedFor() {
        script("modifying", "modifying", "available");
        assertThat(life.change(ctx, "a", "Modify a", "to take its settings", Duration.ofMinutes(1), call("Modify", 2),
                "available"::equals)).isEqualTo("available");
        assertThat(calls).containsExactly("Modify", "Modify", "Modify");
        assertThat(ctx.waitedFor()).containsExactly("Modify a (Busy)", "Modify a (Busy)",
                "thing a to take its settings", "thing a to take its settings");
    }

    @Test
    void aWaitEndsAtOnceOnAFailedOrDeletingState() {
        script("creating", "failed");
        assertThatThrownBy(() -> life.await(ctx, "a", "to become available", "available"::equals))
                .isInstanceOf(ProviderException.class).hasMessageContaining("thing a is failed for good");
        script("deleting");
        assertThatThrownBy(() -> life.await(ctx, "a", "to become available", "available"::equals))
                .hasMessageContaining("thing a is being deleted");
    }

    @Test
    void aDeleteSkipsWhatIsGoneOrBeingDeletedAndWaitsUntilGone() {
        script("gone");
        assertThat(life.delete(ctx, "a", "Delete", call("Delete", 0))).isFalse();
        script("deleting", "deleting", "gone");
        assertThat(life.delete(ctx, "a", "Delete", call("Delete", 0))).isTrue();
        assertThat(calls).isEmpty();

        script("available", "deleting", "gone");
        assertThat(life.delete(ctx, "a", "Delete", call("Delete", 1))).isTrue();
        assertThat(calls).containsExactly("Delete", "Delete");
        assertThat(ctx.waitedFor()).contains("Delete a (Busy)", "thing a to be gone");

        script("available", "delete-failed");
        assertThatThrownBy(() -> life.delete(ctx, "a", "Delete", call("Delete", 0)))
                .hasMessageContaining("thing a is delete-failed");
    }
}
