package dev.infra.core.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Where an apply's changes go as they happen ({@link StateBackend#journal}): each is durable when {@link #record}
 * returns, so a crash loses nothing that reached AWS; {@link #close} folds them into the state.
 */
public interface Journal {

    /**
     * Makes {@code change} durable. {@code whole} is the state with it (and every change recorded before it), for a
     * backend that can only store whole states; a journal of changes never asks for it.
     */
    void record(Change change, Supplier<State> whole);

    /** Folds what was recorded: {@code whole} is the state with every change, stored in place of the journal. */
    void close(State whole);

    /** One change of an apply, as a journal line holds it. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
    @JsonSubTypes({@JsonSubTypes.Type(Put.class), @JsonSubTypes.Type(Remove.class)})
    sealed interface Change {}

    /** {@code resource} recorded under its address, replacing what was there. */
    record Put(ResourceState resource) implements Change {}

    /** The resource at {@code address} gone from the state. */
    record Remove(String address) implements Change {}

    /**
     * Keeps the changes in the process and stores the whole state at most once per {@code interval} and at the end
     * ({@link ThrottledUploads}): for a remote backend, where a store is a round trip with the whole state.
     */
    static Journal throttled(StateBackend backend, Duration interval) {
        return new ThrottledUploads(backend, interval);
    }

    /** Stores the whole state at every change: for a backend with no journal of its own. */
    static Journal wholeState(StateBackend backend) {
        return new Journal() {
            @Override
            public synchronized void record(Change change, Supplier<State> whole) {
                backend.write(whole.get());
            }

            @Override
            public void close(State whole) {
                // every change was stored as it happened
            }
        };
    }
}
