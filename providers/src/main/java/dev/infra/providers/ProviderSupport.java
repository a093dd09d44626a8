package dev.infra.providers;

import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What providers of every service share, whatever the service's own API looks like: the tag names, turning a failed
 * AWS call into a {@link ProviderException}, tag diffs, the ownership check of a lookup by name, and retrying a call
 * while AWS says the resource is still in use.
 */
public final class ProviderSupport {

    public static final String STACK_TAG = "infra:stack";
    public static final String ADDRESS_TAG = "infra:address";
    public static final String TAGS = "tags";

    private ProviderSupport() {}

    /** Runs {@code body}, turning a failed AWS call into a {@link ProviderException} naming {@code address}. */
    public static <T> T wrap(String address, Supplier<T> body) {
        try {
            return body.get();
        } catch (AwsCallException e) {
            throw e.toProviderException(address);
        }
    }

    /** Runs a lookup, counting the failures {@code absent} accepts (the service's NotFound codes) as "absent". */
    public static <T> Optional<T> unless(Predicate<AwsCallException> absent, Supplier<Optional<T>> lookup) {
        try {
            return lookup.get();
        } catch (AwsCallException e) {
            if (absent.test(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** What a delete names in its messages: the context's address, else the resource's, else its id. */
    public static String addressOf(LiveResource current, OperationContext ctx) {
        if (ctx.address() != null) {
            return ctx.address();
        }
        return current.address() != null ? current.address() : current.id();
    }

    /** Puts {@code value} unless it is null, so absent values stay absent rather than null. */
    public static void putIfPresent(Map<String, Object> attributes, String name, Object value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    /** The {@code tags} attribute of a live resource; empty when it has none. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> tags(LiveResource r) {
        Object t = r.attributes().get(TAGS);
        return t instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    /** Tags as AWS reports them, without AWS's own ({@code aws:…}), sorted by key; null values become "". */
    public static Map<String, String> userTags(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.forEach((k, v) -> {
            if (k != null && !k.startsWith("aws:")) {
                out.put(k, v == null ? "" : v);
            }
        });
        return out;
    }

    /**
     * What brings a resource's tags from {@code current} to {@code desired}.
     *
     * @param put tags to add or overwrite, sorted by key
     * @param remove keys to remove (never AWS's own {@code aws:…}), sorted
     */
    public record TagChanges(Map<String, String> put, List<String> remove) {

        public boolean isEmpty() {
            return put.isEmpty() && remove.isEmpty();
        }
    }

    public static TagChanges tagChanges(Map<String, String> current, Map<String, String> desired) {
        Map<String, String> put = new TreeMap<>();
        desired.forEach((k, v) -> {
            if (!Objects.equals(current.get(k), v)) {
                put.put(k, v);
            }
        });
        List<String> remove = current.keySet().stream()
                .filter(k -> !desired.containsKey(k) && !k.startsWith("aws:"))
                .sorted()
                .toList();
        return new TagChanges(put, remove);
    }

    /**
     * Checks that a resource found by its unique name (a load balancer, a web ACL, a bucket, a cluster) may be adopted
     * for {@code address} in {@code stack}: its tags name this stack and address, or no stack nor address at all (a
     * create interrupted before it tagged). One that belongs to another address or stack is not taken: its name is
     * in use, which fails with a {@link ProviderException} saying by what.
     *
     * @param what how messages name the resource, e.g. {@code "web ACL edge"}
     */
    public static void claim(String address, String stack, String what, Map<String, String> tags) {
        String taggedStack = tags.get(STACK_TAG);
        String taggedAddress = tags.get(ADDRESS_TAG);
        boolean untagged = taggedStack == null && taggedAddress == null;
        if (untagged || (Objects.equals(taggedStack, stack) && Objects.equals(taggedAddress, address))) {
            return;
        }
        throw new ProviderException(address, what + " already exists and belongs to "
                + (taggedAddress == null ? "another resource" : taggedAddress)
                + (taggedStack == null ? "" : " of stack " + taggedStack) + "; choose another name or delete it");
    }

    /**
     * Runs {@code call} until it no longer fails with one of {@code retryCodes} (a resource still in use, a bucket
     * that is not empty yet), for at most {@code timeout}; any other failure ends the wait at once. When time runs
     * out, the failure names what AWS kept answering.
     */
    public static void retryWhile(OperationContext ctx, String what, Duration timeout, Duration interval,
                                  Set<String> retryCodes, Runnable call) {
        AtomicReference<AwsCallException> last = new AtomicReference<>();
        try {
            ctx.await(what, timeout, interval, () -> {
                try {
                    call.run();
                    return Optional.of(Boolean.TRUE);
                } catch (AwsCallException e) {
                    if (e.code() != null && retryCodes.contains(e.code())) {
                        last.set(e);
                        return Optional.empty();
                    }
                    throw e;
                }
            });
        } catch (AwsCallException e) {
            throw e;
        } catch (RuntimeException expired) {
            if (last.get() == null) {
                throw expired;
            }
            ProviderException p = new ProviderException(ctx.address(),
                    "gave up after " + timeout.toMinutes() + " min: " + last.get().getMessage(), last.get());
            p.addSuppressed(expired);
            throw p;
        }
    }
}
