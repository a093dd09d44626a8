package dev.infra.providers;

import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How one type of slow AWS resource (a DynamoDB table, a replication group, an OpenSearch domain, an EKS cluster) lives,
 * as its describe call shows it: the describe, which of its states is "being deleted", which refusals mean "busy with an
 * earlier change, try again", which states end a wait in failure, and how long its changes take. On that, one sequence
 * for every such type: {@link #live} (skip what is being deleted), {@link #change} (a call retried while busy, then a
 * wait for a status), {@link #await} (a wait for a status that fails at once on a state AWS does not leave by itself)
 * and {@link #delete} (describe, skip the call when already deleting, retried while busy, wait until gone).
 *
 * <p>In the spirit of the SDK's waiters (a poll, acceptors for success, failure and retry), but not on them: {@code
 * software.amazon.awssdk.core.waiters.Waiter} sleeps on the caller's thread between polls, which would hold the
 * operation's parallelism slot; every wait here goes through {@link OperationContext#await}, which frees it, and names
 * what it waits for.
 *
 * @param noun          how messages and progress name the type, e.g. {@code "DynamoDB table"}
 * @param describe      the resource by id in whatever state; empty when AWS does not know it
 * @param deleting      whether a described resource is being deleted (read as absent, its delete not sent again)
 * @param busy          AWS's refusals of a change while an earlier one runs (retried for {@code timeout})
 * @param failed        why a status wait must stop (a state AWS does not leave by itself); null to keep waiting
 * @param deleteFailed  why a wait until gone must stop (a delete AWS gave up); null to keep waiting
 * @param timeout       how long a change, its wait and a delete take at most
 * @param interval      between polls
 * @param <D>           the SDK's description of the resource
 */
public record Lifecycle<D>(String noun, Function<String, Optional<D>> describe, Predicate<D> deleting,
                           Predicate<AwsCallException> busy, Function<D, String> failed, Function<D, String> deleteFailed,
                           Duration timeout, Duration interval) {

    public Lifecycle {
        Objects.requireNonNull(noun);
        Objects.requireNonNull(describe);
        Objects.requireNonNull(deleting);
        Objects.requireNonNull(busy);
        Objects.requireNonNull(failed);
        Objects.requireNonNull(deleteFailed);
    }

    /** A lifecycle without busy refusals nor failure states; add them with the {@code with…} methods. */
    public static <D> Lifecycle<D> of(String noun, Function<String, Optional<D>> describe, Predicate<D> deleting,
                                      Duration timeout, Duration interval) {
        return new Lifecycle<>(noun, describe, deleting, e -> false, d -> null, d -> null, timeout, interval);
    }

    public Lifecycle<D> withBusy(Predicate<AwsCallException> busy) {
        return new Lifecycle<>(noun, describe, deleting, busy, failed, deleteFailed, timeout, interval);
    }

    public Lifecycle<D> withFailed(Function<D, String> failed) {
        return new Lifecycle<>(noun, describe, deleting, busy, failed, deleteFailed, timeout, interval);
    }

    public Lifecycle<D> withDeleteFailed(Function<D, String> deleteFailed) {
        return new Lifecycle<>(noun, describe, deleting, busy, failed, deleteFailed, timeout, interval);
    }

    /** The resource unless it is being deleted. */
    public Optional<D> live(String id) {
        return describe.apply(id).filter(deleting.negate());
    }

    /** How messages name resource {@code id}: {@code "DynamoDB table orders"}. */
    public String name(String id) {
        return noun + " " + id;
    }

    /**
     * Waits up to {@code timeout} until the resource is in a state {@code done} accepts; a resource not visible yet is
     * waited for, one being deleted or {@link #failed} fails at once. The progress names {@code "<noun> <id> <what>"}.
     */
    public D await(OperationContext ctx, String id, String what, Duration timeout, Predicate<D> done) {
        return ctx.await(name(id) + " " + what, timeout, interval, () -> {
            Optional<D> now = describe.apply(id); // may not be visible at once
            if (now.isPresent()) {
                String failure = failed.apply(now.get());
                if (failure == null && deleting.test(now.get())) {
                    failure = "being deleted";
                }
                if (failure != null) {
                    throw new ProviderException(ctx.address(), name(id) + " is " + failure);
                }
            }
            return now.filter(done);
        });
    }

    /** {@link #await} for the lifecycle's {@link #timeout}. */
    public D await(OperationContext ctx, String id, String what, Predicate<D> done) {
        return await(ctx, id, what, timeout, done);
    }

    /**
     * Runs {@code call}, trying again while AWS answers that the resource is {@link #busy}, for up to {@link #timeout};
     * the progress names {@code what} (and AWS's refusal).
     */
    public <T> T whileBusy(OperationContext ctx, String what, Supplier<T> call) {
        return whileBusy(ctx, what, timeout, call);
    }

    private <T> T whileBusy(OperationContext ctx, String what, Duration timeout, Supplier<T> call) {
        return AwsResourceProvider.retrying(ctx, what, timeout, interval, busy, call);
    }

    /**
     * One change: {@code call} retried {@link #whileBusy} (the progress names {@code "<call>"}), then an {@link #await}
     * of {@code timeout} until {@code done} holds.
     */
    public D change(OperationContext ctx, String id, String call, String what, Duration timeout, Runnable change,
                    Predicate<D> done) {
        whileBusy(ctx, call, () -> {
            change.run();
            return Boolean.TRUE;
        });
        return await(ctx, id, what, timeout, done);
    }

    /**
     * The delete of {@code id}: nothing when AWS does not know it; else {@code check} sees it (and may refuse, e.g. its
     * deletion protection), {@code call} is made unless it is being deleted already, retried {@link #whileBusy} (the
     * progress names {@code "<op> <id>"}), then a wait of {@code timeout} until AWS no longer knows it, stopped by a
     * {@link #deleteFailed} state. The retries and the wait each take up to {@code timeout}. Returns whether it was
     * there.
     */
    public boolean delete(OperationContext ctx, String id, String op, Duration timeout, Consumer<D> check,
                          Runnable call) {
        Optional<D> now = describe.apply(id);
        if (now.isEmpty()) {
            return false;
        }
        check.accept(now.get());
        if (!deleting.test(now.get())) {
            whileBusy(ctx, op + " " + id, timeout, () -> {
                call.run();
                return Boolean.TRUE;
            });
        }
        awaitGone(ctx, id, timeout);
        return true;
    }

    /** Waits up to {@code timeout} until AWS no longer knows {@code id}; a {@link #deleteFailed} state fails at once. */
    public void awaitGone(OperationContext ctx, String id, Duration timeout) {
        ctx.await(name(id) + " to be gone", timeout, interval, () -> {
            Optional<D> left = describe.apply(id);
            String failure = left.map(deleteFailed).orElse(null);
            if (failure != null) {
                throw new ProviderException(ctx.address(), name(id) + " is " + failure);
            }
            return left.isEmpty() ? Optional.of(Boolean.TRUE) : Optional.empty();
        });
    }

    /** {@link #delete(OperationContext, String, String, Duration, Consumer, Runnable)} for its timeout, without a check. */
    public boolean delete(OperationContext ctx, String id, String op, Runnable call) {
        return delete(ctx, id, op, timeout, d -> { }, call);
    }
}
