package dev.infra.providers.kms;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.kms.model.AliasListEntry;

/**
 * {@code aws_kms_alias}: name ("alias/…"), targetKeyId; no tags. The id is the alias name. Aliases carry no tags, so
 * readAll reads only the names state holds (one ListAliases call, all pages; none when state holds none) and
 * findExisting looks the name up: the engine matches aliases by id.
 */
public final class KmsAliasProvider extends KmsProvider {

    public static final String TYPE = "aws_kms_alias";
    static final String NAME = "name";
    static final String TARGET = "targetKeyId";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.KMS_ALIAS)
                    .doc("\"alias/…\""),
            Attribute.required(TARGET, Kind.REFERENCE).updatable())
            .id("alias name");

    public KmsAliasProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return aliases().stream().filter(a -> ids.contains(a.aliasName())).map(this::toLive).toList();
    }

    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return byName(SpecValues.string(spec, NAME));
    }

    private Optional<LiveResource> byName(String name) {
        return aliases().stream().filter(a -> name.equals(a.aliasName())).findFirst().map(this::toLive);
    }

    private List<AliasListEntry> aliases() {
        return call("ListAliases", () -> kms().listAliasesPaginator(b -> b.limit(100)).aliases().stream().toList());
    }

    private LiveResource toLive(AliasListEntry a) {
        Map<String, Object> attributes = new TreeMap<>();
        attributes.put(NAME, a.aliasName());
        putIfPresent(attributes, TARGET, a.targetKeyId());
        return live(a.aliasName(), Map.of(), attributes);
    }

    /** CreateAlias; a key created just before may not be visible yet (NotFoundException), which is retried. */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        requireAliasName(spec, name);
        String target = SpecValues.string(spec, TARGET);
        createOnce(ctx, spec.address(), () -> {
            call("CreateAlias", () -> kmsForCreates().createAlias(b -> b.aliasName(name).targetKeyId(target)));
            return name;
        }, () -> byName(name).filter(a -> target.equals(a.attributes().get(TARGET))).map(LiveResource::id), this::isGone);
        return readBack(ctx, name, target);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String target = SpecValues.string(spec, TARGET);
        whenPropagated(ctx, "UpdateAlias " + current.id(), this::isGone,
                () -> call("UpdateAlias", () -> kms().updateAlias(b -> b.aliasName(current.id()).targetKeyId(target))));
        return readBack(ctx, current.id(), target);
    }

    private LiveResource readBack(OperationContext ctx, String name, String target) {
        return awaitPropagation(ctx, name + " to point at " + target,
                () -> byName(name).filter(a -> target.equals(a.attributes().get(TARGET))));
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        call("DeleteAlias", () -> kms().deleteAlias(b -> b.aliasName(current.id())));
        awaitGone(ctx, current.id(), () -> byName(current.id()));
    }

    private static void requireAliasName(ResourceSpec spec, String name) {
        if (!name.startsWith("alias/") || name.startsWith("alias/aws/")) {
            throw new ProviderException(spec.address(), "alias name must start with alias/ (and not alias/aws/), got " + name);
        }
    }
}
