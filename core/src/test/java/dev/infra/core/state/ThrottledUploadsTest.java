package dev.infra.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ThrottledUploadsTest {

    static final Duration INTERVAL = Duration.ofMillis(400);

    /** A remote store: each write is kept with when it happened. */
    static final class Remote implements StateBackend {
        record Stored(long atNanos, State state) {}

        final List<Stored> writes = new CopyOnWriteArrayList<>();
        volatile RuntimeException refuse;

        @Override
        public Optional<State> read() {
            return writes.isEmpty() ? Optional.empty() : Optional.of(writes.get(writes.size() - 1).state());
        }

        @Override
        public void write(State state) {
            if (refuse != null) {
                throw refuse;
            }
            writes.add(new Stored(System.nanoTime(), state));
        }

        @Override
        public Journal journal(State base) {
            return Journal.throttled(this, INTERVAL);
        }

        @Override
        public Lock lock(String operation) {
            return () -> { };
        }

        @Override
        public Optional<Unlocked> unlock(boolean force) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "remote";
        }
    }

    private static ResourceState resource(int i) {
        return ResourceState.created("r/" + i, "aws_thing", "id-" + i, Map.of(), List.of());
    }

    @Test
    void storesTheFirstChangeAtOnceThenAtMostOncePerIntervalThenTheWholeAtTheEnd() throws Exception {
        Remote remote = new Remote();
        StateRecorder recorder = new StateRecorder(remote, State.empty("s", "r"));
        long start = System.nanoTime();
        recorder.put(resource(0));
        Thread.sleep(100);
        assertThat(remote.writes).as("the first change is stored at once").hasSize(1);
        for (int i = 1; i <= 200; i++) {
            recorder.put(resource(i));
            Thread.sleep(5); // 200 changes over about a second: a store per change would be 200
        }
        // Between two stores a kill would lose what came after the last: that is what tag adoption finds again.
        int beforeClose = remote.writes.size();
        assertThat(beforeClose).isBetween(2, 6);
        for (int i = 1; i < beforeClose; i++) {
            long gap = remote.writes.get(i).atNanos() - remote.writes.get(i - 1).atNanos();
            assertThat(Duration.ofNanos(gap)).as("stores at most once per interval").isGreaterThanOrEqualTo(INTERVAL.minusMillis(20));
        }
        recorder.close();
        State last = remote.writes.get(remote.writes.size() - 1).state();
        assertThat(last.resources()).hasSize(201);
        assertThat(last.serial()).isEqualTo(201);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRefusedStoreFailsTheNextChangeAndTheEnd() throws Exception {
        Remote remote = new Remote();
        Journal journal = Journal.throttled(remote, INTERVAL);
        StateBackendException conflict = new StateBackendException("the state changed since this run read it", null);
        remote.refuse = conflict;
        State state = State.empty("s", "r").with(resource(1));
        journal.record(new Journal.Put(resource(1)), () -> state);
        Thread.sleep(200);
        assertThatThrownBy(() -> journal.record(new Journal.Put(resource(2)), () -> state)).isSameAs(conflict);
        assertThatThrownBy(() -> journal.close(state)).isSameAs(conflict);
        assertThat(remote.writes).isEmpty();
    }
}
