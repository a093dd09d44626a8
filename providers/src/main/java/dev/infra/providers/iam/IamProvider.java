package dev.infra.providers.iam;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * What the IAM types share. IAM is global and its List calls neither filter by tag nor return tags, so the tool
 * creates its roles and instance profiles under the path {@code /infra/<stack>/}: readAll lists that path (one call)
 * and reads tags only for what it lists. Names are unique in the account, so a create that may have taken effect is
 * looked up by name. IAM is eventually consistent: calls naming something just created are retried on NoSuchEntity
 * for a while.
 */
public abstract class IamProvider extends AwsResourceProvider {

    /** Every path the tool creates IAM resources under starts with this. */
    public static final String PATH_PREFIX = "/infra/";
    static final String NO_SUCH_ENTITY = "NoSuchEntity";
    static final String NAME = "name";
    static final String ARN = "arn";

    protected IamProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    /** The path of the stack's IAM resources: {@code /infra/<stack>/} (stack names are lower-case, digits, dashes). */
    public static String pathOf(String stack) {
        return stack == null ? PATH_PREFIX : PATH_PREFIX + stack + "/";
    }

    protected final IamClient iam() {
        return clients().client(IamClient.class, IamClient::builder);
    }

    /** The IAM client for creates: it retries only what AWS did not run (see {@link #createOnce}). */
    protected final IamClient iamForCreates() {
        return clients().forCreates(IamClient.class, IamClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return NO_SUCH_ENTITY.equals(e.code()) || e.isNotFound();
    }

    /** The resource by name (GetRole, GetInstanceProfile: tags included), or empty when it does not exist. */
    protected abstract Optional<LiveResource> read(String name);

    @Override
    protected final List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    /** By the unique name, adopted only when it carries this stack's and this address's tags. */
    @Override
    protected final Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return read(SpecValues.string(spec, NAME)).filter(r -> isOurs(r, stack, spec.address()));
    }

    /** The result of {@code get}, or empty when IAM says NoSuchEntity. */
    protected final <T> Optional<T> getIfExists(Supplier<T> get) {
        try {
            return Optional.ofNullable(get.get());
        } catch (AwsCallException e) {
            if (isGone(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The create call ({@code create}, on {@link #iamForCreates()}), adopting what a create that failed without an answer
     * made: {@code read} finds it by name, and it is taken only when it carries this spec's stack and address tags.
     * Returns the name.
     */
    protected final String createNamed(OperationContext ctx, ResourceSpec spec, String name, Runnable create,
                                       Function<String, Optional<LiveResource>> read) {
        String stack = spec.tags().get(STACK_TAG);
        return createOnce(ctx, spec.address(), () -> {
            create.run();
            return name;
        }, () -> read.apply(name).filter(r -> isOurs(r, stack, spec.address())).map(LiveResource::id), e -> false);
    }

    /** A call naming something just created (here or by another resource): retried while IAM says NoSuchEntity. */
    protected final <T> T afterPropagation(OperationContext ctx, String what, Supplier<T> call) {
        return whenPropagated(ctx, what, this::isGone, call);
    }

    protected static List<Tag> iamTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }

    protected static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> out = new TreeMap<>();
        if (tags != null) {
            tags.forEach(t -> out.put(t.key(), t.value()));
        }
        return out;
    }
}
