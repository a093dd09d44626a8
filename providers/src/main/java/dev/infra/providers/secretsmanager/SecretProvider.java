package dev.infra.providers.secretsmanager;

import static dev.infra.providers.AwsCallException.call;
import static dev.infra.providers.AwsCallException.callWithSecret;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * {@code aws_secretsmanager_secret} (id: the secret's ARN): name, description, kmsKeyId (absent: the AWS managed key
 * aws/secretsmanager), generatedLength (write-only), tags; computed arn.
 *
 * <p>Create asks GetRandomPassword for a value of generatedLength characters, none of those a Redis AUTH token may not
 * hold, and stores it with CreateSecret (tags and key given there). The value never leaves AWS through this class: it
 * is never read back, reported, logged, nor put in a message ({@link AwsCallException#callWithSecret}). readAll: one
 * ListSecrets filtered by the stack tag (tags, description and key come with it); ids of state it misses cost a
 * DescribeSecret each. A secret scheduled for deletion counts as gone (a create takes it back when it is this address's,
 * see {@link #createResource}); a replica of another region's secret is not this type's. Delete: DeleteSecret with
 * ForceDeleteWithoutRecovery, then a wait until DescribeSecret no longer finds it.
 */
public final class SecretProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_secretsmanager_secret";
    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String KMS_KEY = "kmsKeyId";
    static final String LENGTH = "generatedLength";
    static final String ARN = "arn";
    /** The AWS managed key, which a secret without kmsKeyId uses. */
    static final String DEFAULT_KEY = "alias/aws/secretsmanager";
    /**
     * The printable ASCII characters a Redis AUTH token must not contain: "The only permitted printable special
     * characters are !, &amp;, #, $, ^, &lt;, &gt;, and -" (ElastiCache CreateReplicationGroup, AuthToken); these are
     * the rest of GetRandomPassword's punctuation. Spaces stay out as well (IncludeSpace false).
     */
    static final String EXCLUDED = "\"%'()*+,./:;=?@[\\]_`{|}~";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(DESCRIPTION, Kind.STRING).updatable(),
            Attribute.required(LENGTH, Kind.NUMBER).writeOnly()
                    .doc("create generates a random value of this length with GetRandomPassword, excluding characters Redis AUTH refuses; the value never leaves AWS"),
            Attribute.required(KMS_KEY, Kind.REFERENCE).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.SECRET),
            Attribute.computed(ARN, Kind.STRING))
            .with(Trait.TAGGED)
            .id("secret ARN")
            .notes("Delete = ForceDeleteWithoutRecovery. Create over a secret of the name scheduled for deletion: RestoreSecret"
                    + " when it has this stack's and address's tags (its value kept), else CreateSecret retried 2 min");

    public SecretProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private SecretsManagerClient secrets() {
        return clients().client(SecretsManagerClient.class, SecretsManagerClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return "ResourceNotFoundException".equals(e.code()) || e.isNotFound();
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /** ListSecrets' tag filters match key and value separately and by prefix: the base keeps exact matches. */
    @Override
    protected List<LiveResource> readStack(String stack) {
        return call("ListSecrets", () -> secrets().listSecretsPaginator(b -> b.filters(
                        f -> f.key(FilterNameStringType.TAG_KEY).values(STACK_TAG),
                        f -> f.key(FilterNameStringType.TAG_VALUE).values(stack)))
                .stream().flatMap(page -> page.secretList().stream())
                .filter(s -> s.deletedDate() == null)
                // A replica of another region's secret carries that secret's tags: it is the primary's, not a
                // leftover of this region (aws_secretsmanager_secret_replica owns it).
                .filter(s -> s.primaryRegion() == null || s.primaryRegion().equals(clients().region()))
                .map(this::toLive)
                .toList());
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::describe);
    }

    /** By name, unique in the region: adopted when untagged or tagged for this address and stack. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return claimed(spec.address(), stack, "secret " + name, describe(name));
    }

    /** The secret named or with this ARN, unless gone or scheduled for deletion. */
    private Optional<LiveResource> describe(String secretId) {
        return ProviderSupport.unless(this::isGone, () -> {
            DescribeSecretResponse d = call("DescribeSecret", () -> secrets().describeSecret(b -> b.secretId(secretId)));
            return d.deletedDate() != null ? Optional.empty() : Optional.of(toLive(d));
        });
    }

    private LiveResource toLive(SecretListEntry s) {
        return toLive(s.arn(), s.name(), s.description(), s.kmsKeyId(), s.tags());
    }

    private LiveResource toLive(String arn, String name, String description, String kmsKeyId, List<Tag> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, name);
        putIfPresent(a, DESCRIPTION, description);
        putIfPresent(a, KMS_KEY, kmsKeyId);
        a.put(ARN, arn);
        Map<String, String> t = new TreeMap<>();
        tags.forEach(tag -> t.put(tag.key(), tag.value()));
        return live(arn, t, a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * GetRandomPassword, then CreateSecret with that value, the key and the tags. The request token stays the same
     * across attempts, so AWS does not store a second version; a lost answer is resolved by name ({@link #createOnce}).
     *
     * <p>A secret of that name scheduled for deletion keeps the name taken for its recovery window (7-30 days):
     * CreateSecret fails with "a secret with this name is already scheduled for deletion" (DeleteSecret reference).
     * When it carries this stack's and this address's tags (destroyed, or deleted by hand, with a recovery window) it
     * is taken back with RestoreSecret, keeping its value, then brought to the spec. Otherwise (another's, or a forced
     * delete still being carried out in the background, which RestoreSecret refuses) CreateSecret is retried for
     * {@link #PROPAGATION_TIMEOUT}, then fails naming the secret, its deletion date and the two ways out.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        long length = SpecValues.number(spec, LENGTH);
        Optional<DescribeSecretResponse> deleted = scheduledForDeletion(name);
        if (deleted.isPresent() && isOurs(toLive(deleted.get()), spec.tags().get(STACK_TAG), spec.address())
                && restored(deleted.get().arn())) {
            LiveResource back = readBack(ctx, deleted.get().arn());
            return updateResource(back, spec, changesOf(back, spec), ctx);
        }
        String description = SpecValues.optionalString(spec, DESCRIPTION);
        String kmsKeyId = SpecValues.optionalString(spec, KMS_KEY);
        String value = call("GetRandomPassword", () -> secrets().getRandomPassword(
                b -> b.passwordLength(length).excludeCharacters(EXCLUDED).includeSpace(false))).randomPassword();
        String token = UUID.randomUUID().toString();
        String arn;
        try {
            arn = createOnce(ctx, spec.address(), () -> callWithSecret("CreateSecret", value, () -> clients()
                            .forCreates(SecretsManagerClient.class, SecretsManagerClient::builder)
                            .createSecret(b -> b.name(name).description(description).kmsKeyId(kmsKeyId)
                                    .secretString(value).tags(secretTags(spec.tags())).clientRequestToken(token))).arn(),
                    () -> describe(name).map(LiveResource::id), SecretProvider::nameScheduledForDeletion);
        } catch (ProviderException e) {
            if (e.getCause() instanceof AwsCallException cause && nameScheduledForDeletion(cause)) {
                throw new ProviderException(spec.address(), "secret " + name + " is scheduled for deletion"
                        + scheduledForDeletion(name).map(d -> " (deleted " + d.deletedDate() + ")").orElse("")
                        + " and is not this resource's to take back: restore it (aws secretsmanager restore-secret"
                        + " --secret-id " + name + ") or free its name (aws secretsmanager delete-secret --secret-id "
                        + name + " --force-delete-without-recovery), then apply again", e);
            }
            throw e;
        }
        return with(readBack(ctx, arn), LENGTH, length);
    }

    /** CreateSecret's answer while the name belongs to a secret scheduled for deletion. */
    private static boolean nameScheduledForDeletion(AwsCallException e) {
        return "InvalidRequestException".equals(e.code()) && e.getMessage().contains("scheduled for deletion");
    }

    /** The secret named, if it is scheduled for deletion. */
    private Optional<DescribeSecretResponse> scheduledForDeletion(String name) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(
                        call("DescribeSecret", () -> secrets().describeSecret(b -> b.secretId(name)))))
                .filter(d -> d.deletedDate() != null);
    }

    /** RestoreSecret; false when AWS refuses (a forced delete in progress cannot be undone). */
    private boolean restored(String arn) {
        try {
            call("RestoreSecret", () -> secrets().restoreSecret(b -> b.secretId(arn)));
            return true;
        } catch (AwsCallException e) {
            if ("InvalidRequestException".equals(e.code())) {
                return false;
            }
            throw e;
        }
    }

    private LiveResource toLive(DescribeSecretResponse d) {
        return toLive(d.arn(), d.name(), d.description(), d.kmsKeyId(), d.tags());
    }

    /** Tags with TagResource / UntagResource; description and key with one UpdateSecret, which stores no new value. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String arn = current.id();
        updateTags(current, spec, changed,
                t -> call("TagResource", () -> secrets().tagResource(b -> b.secretId(arn).tags(secretTags(t)))),
                keys -> call("UntagResource", () -> secrets().untagResource(b -> b.secretId(arn).tagKeys(keys))));
        String description = SpecValues.optionalString(spec, DESCRIPTION);
        String kmsKeyId = SpecValues.optionalString(spec, KMS_KEY);
        boolean newDescription = description != null && changed.contains(DESCRIPTION);
        boolean newKey = changed.contains(KMS_KEY);
        if (newDescription || newKey) {
            call("UpdateSecret", () -> secrets().updateSecret(b -> b.secretId(arn)
                    .description(newDescription ? description : null)
                    .kmsKeyId(newKey ? Objects.requireNonNullElse(kmsKeyId, DEFAULT_KEY) : null)));
        }
        Object length = spec.attributes().get(LENGTH);
        return with(readBack(ctx, arn), LENGTH, length == null ? null : SpecValues.number(spec, LENGTH));
    }

    private LiveResource readBack(OperationContext ctx, String arn) {
        return awaitPropagation(ctx, arn + " to become readable", () -> describe(arn));
    }

    /** ForceDeleteWithoutRecovery: the name is free again at once, as a replacement needs. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String arn = current.id();
        call("DeleteSecret", () -> secrets().deleteSecret(b -> b.secretId(arn).forceDeleteWithoutRecovery(true)));
        awaitGone(ctx, arn, () -> describe(arn));
    }

    private static List<Tag> secretTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }
}
