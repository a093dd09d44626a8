package dev.infra.providers.athena;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
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
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.EncryptionConfiguration;
import software.amazon.awssdk.services.athena.model.EncryptionOption;
import software.amazon.awssdk.services.athena.model.ResultConfiguration;
import software.amazon.awssdk.services.athena.model.ResultConfigurationUpdates;
import software.amazon.awssdk.services.athena.model.Tag;
import software.amazon.awssdk.services.athena.model.WorkGroup;
import software.amazon.awssdk.services.athena.model.WorkGroupConfiguration;
import software.amazon.awssdk.services.athena.model.WorkGroupSummary;

/**
 * {@code aws_athena_workgroup}: name, outputLocation ({@code s3://bucket/prefix/}), kmsKeyArn (query results encrypted
 * SSE_KMS with it; absent = no result encryption), enforceConfiguration (the workgroup's settings override the
 * client's), tags. Id: the workgroup name.
 *
 * <p>Athena has no tag filter and ListWorkGroups returns no tags: readAll is ListWorkGroups + one ListTagsForResource per
 * workgroup (the built-in {@code primary} excepted: never the stack's) + one GetWorkGroup per workgroup of the stack,
 * i.e. 1 + n + s calls. The tagging calls want the workgroup's ARN, which no Athena call returns: it is built from
 * the account ({@link AwsClients#arn}). Changes are one UpdateWorkGroup; delete is DeleteWorkGroup with
 * RecursiveDeleteOption (named queries and the like go with it).
 */
public final class AthenaWorkGroupProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_athena_workgroup";
    static final String NAME = "name";
    static final String OUTPUT_LOCATION = "outputLocation";
    static final String KMS_KEY_ARN = "kmsKeyArn";
    static final String ENFORCE = "enforceConfiguration";
    /** The workgroup every account has, which cannot be deleted. */
    static final String PRIMARY = "primary";
    /** Athena's answer for an unknown workgroup: InvalidRequestException "WorkGroup … is not found." */
    static final String INVALID_REQUEST = "InvalidRequestException";
    static final String NOT_FOUND_MESSAGE = "is not found";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(ENFORCE, Kind.BOOL).updatable(),
            Attribute.required(KMS_KEY_ARN, Kind.REFERENCE).updatable()
                    .doc("SSE_KMS results"),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.WORKGROUP),
            Attribute.required(OUTPUT_LOCATION, Kind.STRING).updatable()
                    .doc("\"s3://bucket/prefix/\""))
            .with(Trait.TAGGED)
            .id("workgroup name")
            .notes("Delete with RecursiveDeleteOption");

    public AthenaWorkGroupProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private AthenaClient athena() {
        return clients().client(AthenaClient.class, AthenaClient::builder);
    }

    /** The client for CreateWorkGroup: it retries only what AWS did not run (see {@link #createOnce}). */
    private AthenaClient athenaForCreates() {
        return clients().forCreates(AthenaClient.class, AthenaClient::builder);
    }

    /** An unknown workgroup (InvalidRequestException "… is not found"), or an unknown ARN to the tagging calls. */
    @Override
    protected boolean isGone(AwsCallException e) {
        return (INVALID_REQUEST.equals(e.code()) && e.getMessage() != null && e.getMessage().contains(NOT_FOUND_MESSAGE))
                || "ResourceNotFoundException".equals(e.code()) || e.isNotFound();
    }

    private String arnOf(String name) {
        return clients().arn("athena", "workgroup/" + name);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /** The stack's workgroups: each workgroup's tags first, then GetWorkGroup only for those tagged with the stack. */
    @Override
    protected List<LiveResource> readStack(String stack) {
        List<String> names = call("ListWorkGroups", () -> athena().listWorkGroupsPaginator(b -> { }).stream()
                .flatMap(r -> r.workGroups().stream()).map(WorkGroupSummary::name).filter(n -> !PRIMARY.equals(n)).toList());
        return readDetails(names, name -> tagsOf(name).filter(tags -> stack.equals(tags.get(STACK_TAG)))
                .flatMap(tags -> workGroup(name).map(wg -> toLive(wg, tags))));
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    /** By its unique name; a workgroup that belongs to another address or stack is an error, not a match. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return read(name).map(r -> {
            ProviderSupport.claim(spec.address(), stack, "Athena workgroup " + name, tags(r));
            return r;
        });
    }

    private Optional<LiveResource> read(String name) {
        return workGroup(name).flatMap(wg -> tagsOf(name).map(tags -> toLive(wg, tags)));
    }

    private Optional<WorkGroup> workGroup(String name) {
        return ProviderSupport.unless(this::isGone, () -> Optional.ofNullable(
                call("GetWorkGroup", () -> athena().getWorkGroup(b -> b.workGroup(name))).workGroup()));
    }

    private Optional<Map<String, String>> tagsOf(String name) {
        return ProviderSupport.unless(this::isGone, () -> {
            Map<String, String> tags = new TreeMap<>();
            call("ListTagsForResource", () -> athena().listTagsForResourcePaginator(b -> b.resourceARN(arnOf(name)))
                    .tags().stream().toList()).forEach(t -> tags.put(t.key(), t.value()));
            return Optional.of(tags);
        });
    }

    private LiveResource toLive(WorkGroup wg, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, wg.name());
        WorkGroupConfiguration c = wg.configuration();
        ResultConfiguration results = c == null ? null : c.resultConfiguration();
        if (results != null) {
            putIfPresent(a, OUTPUT_LOCATION, results.outputLocation());
            EncryptionConfiguration e = results.encryptionConfiguration();
            if (e != null && e.encryptionOption() == EncryptionOption.SSE_KMS) {
                putIfPresent(a, KMS_KEY_ARN, e.kmsKey());
            }
        }
        a.put(ENFORCE, c != null && Boolean.TRUE.equals(c.enforceWorkGroupConfiguration()));
        return live(wg.name(), tags, a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        String output = SpecValues.optionalString(spec, OUTPUT_LOCATION);
        createOnce(ctx, spec.address(), () -> {
            call("CreateWorkGroup", () -> athenaForCreates().createWorkGroup(b -> b
                    .name(name)
                    .configuration(c -> c
                            .resultConfiguration(r -> r.outputLocation(output).encryptionConfiguration(encryption(spec)))
                            .enforceWorkGroupConfiguration(SpecValues.optionalBoolean(spec, ENFORCE)))
                    .tags(athenaTags(spec.tags()))));
            return name;
        }, () -> workGroup(name).map(WorkGroup::name), e -> false);
        return awaitPropagation(ctx, "Athena workgroup " + name + " to become readable", () -> read(name));
    }

    /** Tags with TagResource / UntagResource, the rest with one UpdateWorkGroup naming only what differs. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        String arn = arnOf(name);
        updateTags(current, spec, changed,
                put -> call("TagResource", () -> athena().tagResource(b -> b.resourceARN(arn).tags(athenaTags(put)))),
                keys -> call("UntagResource", () -> athena().untagResource(b -> b.resourceARN(arn).tagKeys(keys))));
        if (changed.contains(OUTPUT_LOCATION) || changed.contains(KMS_KEY_ARN) || changed.contains(ENFORCE)) {
            call("UpdateWorkGroup", () -> athena().updateWorkGroup(b -> b.workGroup(name).configurationUpdates(u -> u
                    .enforceWorkGroupConfiguration(SpecValues.optionalBoolean(spec, ENFORCE))
                    .resultConfigurationUpdates(resultUpdates(spec)))));
        }
        return readNow(spec, name, this::read);
    }

    /** The output location and the result encryption as the spec has them; absent ones are removed. */
    private static ResultConfigurationUpdates resultUpdates(ResourceSpec spec) {
        String output = SpecValues.optionalString(spec, OUTPUT_LOCATION);
        EncryptionConfiguration encryption = encryption(spec);
        return ResultConfigurationUpdates.builder()
                .outputLocation(output).removeOutputLocation(output == null ? true : null)
                .encryptionConfiguration(encryption).removeEncryptionConfiguration(encryption == null ? true : null)
                .build();
    }

    private static EncryptionConfiguration encryption(ResourceSpec spec) {
        String key = SpecValues.optionalString(spec, KMS_KEY_ARN);
        return key == null ? null
                : EncryptionConfiguration.builder().encryptionOption(EncryptionOption.SSE_KMS).kmsKey(key).build();
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String name = current.id();
        call("DeleteWorkGroup", () -> athena().deleteWorkGroup(b -> b.workGroup(name).recursiveDeleteOption(true)));
        awaitGone(ctx, "Athena workgroup " + name, () -> workGroup(name));
    }

    private static List<Tag> athenaTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }
}
