package dev.infra.providers.wafv2;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

/**
 * What the WAFv2 resource types share: the client, the scope ({@code REGIONAL}: web ACLs for load balancers), WAF's
 * NotFound ({@code WAFNonexistentItemException}), calls retried while a web ACL just made is not usable yet, and a
 * delete that waits until the resource reads as gone.
 */
public abstract class Wafv2Provider extends AwsResourceProvider {

    /** Web ACLs for regional resources (load balancers, API stages); CloudFront's are CLOUDFRONT, in us-east-1. */
    public static final String SCOPE = "REGIONAL";
    static final String NOT_FOUND = "WAFNonexistentItemException";
    /** AWS: a web ACL just made or changed may not be usable everywhere yet; try again. */
    static final String UNAVAILABLE = "WAFUnavailableEntityException";
    /** The lock token sent is not the current one: someone changed the web ACL meanwhile. */
    static final String LOCK_CHANGED = "WAFOptimisticLockException";
    /** The largest page WAF's list calls return. */
    static final int LIST_LIMIT = 100;
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final Duration INTERVAL = Duration.ofSeconds(5);

    protected Wafv2Provider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final Wafv2Client wafv2() {
        return clients().wafv2();
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return NOT_FOUND.equals(e.code());
    }

    /** The delete call(s); {@code WAFNonexistentItemException} counts as done. */
    protected abstract void remove(LiveResource current, OperationContext ctx);

    /** Whether the resource still reads back (polled after a delete). */
    protected abstract boolean exists(LiveResource current);

    @Override
    protected final void deleteResource(LiveResource current, OperationContext ctx) {
        ignoreGone(() -> {
            remove(current, ctx);
            return null;
        });
        ctx.await(current.id() + " to be deleted", TIMEOUT, INTERVAL,
                () -> exists(current) ? Optional.empty() : Optional.of(Boolean.TRUE));
    }

    /** Runs a lookup, counting {@code WAFNonexistentItemException} as "absent". */
    protected final <T> Optional<T> unlessGone(Supplier<Optional<T>> lookup) {
        return ProviderSupport.unless(this::isGone, lookup);
    }

    /**
     * Every item of a list call paged with NextMarker ({@value #LIST_LIMIT} a page): {@code page} makes the call for
     * a marker ({@code null} first), {@code items} and {@code nextMarker} read its answer.
     */
    protected static <P, T> List<T> allPages(Function<String, P> page, Function<P, List<T>> items,
                                             Function<P, String> nextMarker) {
        List<T> out = new ArrayList<>();
        String marker = null;
        do {
            P answer = page.apply(marker);
            List<T> some = items.apply(answer);
            out.addAll(some);
            marker = some.isEmpty() ? null : nextMarker.apply(answer);
        } while (marker != null);
        return out;
    }

    /** Runs a call that names a web ACL, retrying while AWS says that ACL is not available yet (just made). */
    protected static void whenAvailable(OperationContext ctx, String what, Supplier<?> call) {
        retrying(ctx, what, TIMEOUT, INTERVAL, e -> UNAVAILABLE.equals(e.code()), call);
    }
}
