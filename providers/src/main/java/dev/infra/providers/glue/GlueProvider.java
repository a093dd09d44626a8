package dev.infra.providers.glue;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * What the Glue Data Catalog types share. They carry no tags: the engine finds them by the ids in its state, and
 * findExisting by their natural key (the names). A create is made once (a failure that may have taken effect is
 * followed by a look for what it made) and read back; an update reads the resource from AWS and sends the whole
 * definition when something differs (Glue's updates replace it); a delete waits until the resource is gone. Glue
 * folds database and table names to lower case, so names must be lower case already (else they would never read
 * back as given).
 *
 * @param <R> the SDK's model class, {@code Database} or {@code Table}
 */
public abstract class GlueProvider<R> extends AwsResourceProvider {

    /** Glue's error for an unknown database or table. */
    static final String NOT_FOUND = "EntityNotFoundException";

    protected GlueProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final GlueClient glue() {
        return clients().client(GlueClient.class, GlueClient::builder);
    }

    /** The client for creates AWS does not de-duplicate: it retries only what AWS did not run (see {@link #createOnce}). */
    protected final GlueClient glueForCreates() {
        return clients().forCreates(GlueClient.class, GlueClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return NOT_FOUND.equals(e.code()) || e.isNotFound();
    }

    // ---- what each type supplies --------------------------------------------------------------------

    /** How messages name the type, e.g. {@code "Glue database"}. */
    protected abstract String noun();

    protected abstract String idOf(ResourceSpec spec);

    /** The resource with this id; empty when Glue does not know it. */
    protected abstract Optional<R> get(String id);

    protected abstract LiveResource toLive(R resource);

    protected abstract void submitCreate(ResourceSpec spec, GlueClient client);

    /** Brings {@code now} to {@code spec} (called only when something differs). */
    protected abstract void submitUpdate(ResourceSpec spec, R now);

    protected abstract void submitDelete(String id);

    // ---- shared -------------------------------------------------------------------------------------

    protected final Optional<LiveResource> read(String id) {
        return get(id).map(this::toLive);
    }

    /** Runs a Glue read whose target may not exist: EntityNotFoundException is "absent". */
    protected final <T> Optional<T> unlessGone(Supplier<T> get) {
        return ProviderSupport.unless(this::isGone, () -> Optional.ofNullable(get.get()));
    }

    /** By natural key: these types have no tags to tell whose they are. */
    @Override
    protected final Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return read(idOf(spec));
    }

    /**
     * The create call, once; a database a table names may not be visible yet just after its own create
     * (EntityNotFoundException): that is retried for a while.
     */
    @Override
    protected final LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String id = idOf(spec);
        createOnce(ctx, spec.address(), () -> {
            submitCreate(spec, glueForCreates());
            return id;
        }, () -> get(id).map(r -> id), this::isGone);
        return awaitPropagation(ctx, noun() + " " + id + " to become readable", () -> read(id));
    }

    @Override
    protected final LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                                OperationContext ctx) {
        R now = get(current.id()).orElseThrow(() -> new ProviderException(spec.address(),
                noun() + " " + current.id() + " no longer exists"));
        if (!differing(toLive(now), spec, changed).isEmpty()) {
            submitUpdate(spec, now);
        }
        return readNow(spec, current.id(), this::read);
    }

    @Override
    protected final void deleteResource(LiveResource current, OperationContext ctx) {
        submitDelete(current.id());
        awaitGone(ctx, noun() + " " + current.id(), () -> get(current.id()));
    }

    /** A name attribute, which must be lower case: Glue stores names folded to lower case. */
    protected static String lowerCaseName(ResourceSpec spec, String attribute) {
        String name = SpecValues.string(spec, attribute);
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new ProviderException(spec.address(), attribute + " " + name
                    + " must be lower case: Glue stores names in lower case, so it would never read back as given");
        }
        return name;
    }
}
