package dev.infra.providers;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import java.util.Optional;
import java.util.Set;

/**
 * A type whose create and update are one Put call that creates or replaces the whole resource by its key
 * (PutResourcePolicy, PutSubscriptionFilter, PutScalingPolicy): create = update = {@link #put}, then a wait until
 * {@link #read} shows what the spec asks; findExisting = {@link #read}; delete = {@link #remove}, then a wait until
 * {@link #reread} finds nothing. Repeating the Put after a lost answer is harmless, so it needs neither
 * {@link #createOnce} nor a look-up first, and an update needs no {@code changed}: the Put sends the whole spec.
 */
public abstract class PutResourceProvider extends AwsResourceProvider {

    protected PutResourceProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    /** How messages name the type, e.g. {@code "subscription filter"}. */
    protected abstract String noun();

    /** The key {@code spec} names the resource by, for messages, e.g. {@code "<group>:<filter>"}. */
    protected abstract String nameOf(ResourceSpec spec);

    /** The Put call (retried while what it names is not visible yet, where AWS says so). */
    protected abstract void put(ResourceSpec spec, OperationContext ctx);

    /** The resource {@code spec}'s key names, as AWS has it now. */
    protected abstract Optional<LiveResource> read(ResourceSpec spec);

    /** The delete call. */
    protected abstract void remove(LiveResource current);

    /** The resource {@code current} is, as AWS has it now: what a delete waits to see gone. */
    protected Optional<LiveResource> reread(LiveResource current) {
        return readIds(Set.of(current.id())).stream().findFirst();
    }

    /** Whether {@code read} shows the Put made: by default, that it reads at all. */
    protected boolean shows(LiveResource read, ResourceSpec spec) {
        return true;
    }

    @Override
    protected final Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return read(spec);
    }

    @Override
    protected final LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        return putAndRead(spec, ctx);
    }

    @Override
    protected final LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                                OperationContext ctx) {
        return putAndRead(spec, ctx);
    }

    private LiveResource putAndRead(ResourceSpec spec, OperationContext ctx) {
        put(spec, ctx);
        return awaitPropagation(ctx, noun() + " " + nameOf(spec) + " to become readable", () -> read(spec).filter(r -> shows(r, spec)));
    }

    @Override
    protected final void deleteResource(LiveResource current, OperationContext ctx) {
        remove(current);
        awaitGone(ctx, noun() + " " + current.id(), () -> reread(current));
    }
}
