package dev.infra.providers.kms;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;

/**
 * {@code aws_kms_key}: description, enableKeyRotation, multiRegion, deletionWindowDays (write-only),
 * servicePrincipals (the AWS services allowed to use the key on the account's behalf, a set), tags; computed arn.
 * The id is the key id.
 *
 * <p>The key policy is the account's root statement (what AWS's default policy holds) plus one statement,
 * {@value #SERVICES_SID}, for the service principals; reads report the principals of that statement.
 *
 * <p>KMS has no tag filter on ListKeys, so the stack's keys come from the Resource Groups Tagging API (one
 * GetResources call, tags included); each key then costs a DescribeKey and a GetKeyRotationStatus, which have no
 * batch form. A key pending deletion counts as gone: delete is ScheduleKeyDeletion with a waiting period of
 * deletionWindowDays (7 when absent), after which AWS removes it.
 */
public final class KmsKeyProvider extends KmsProvider {

    public static final String TYPE = "aws_kms_key";
    static final String DESCRIPTION = "description";
    static final String ROTATION = "enableKeyRotation";
    static final String MULTI_REGION = "multiRegion";
    static final String WINDOW = "deletionWindowDays";
    static final String ARN = "arn";
    static final String SERVICES = "servicePrincipals";
    static final String SERVICES_SID = "InfraServices";
    static final long DEFAULT_WINDOW_DAYS = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    public KmsKeyProvider(AwsClients clients) {
        super(clients, TYPE, true, Set.of(DESCRIPTION, ROTATION, SERVICES), Set.of(ARN));
        writeOnly(WINDOW);
        unordered(SERVICES);
    }

    /**
     * The key policy: the account root may administer and use the key (as in AWS's default policy, so IAM
     * policies keep working), and the listed services may use it for encryption on the account's behalf.
     */
    String policy(List<String> services) {
        Map<String, Object> root = new TreeMap<>(Map.of("Sid", "AccountRoot", "Effect", "Allow",
                "Principal", Map.of("AWS", clients().globalArn("iam", "root")), "Action", "kms:*", "Resource", "*"));
        List<Object> statements = new ArrayList<>(List.of(root));
        if (!services.isEmpty()) {
            statements.add(new TreeMap<>(Map.of("Sid", SERVICES_SID, "Effect", "Allow",
                    "Principal", Map.of("Service", services.stream().sorted().toList()),
                    "Action", List.of("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"),
                    "Resource", "*")));
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", statements)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The principals of the services statement of the key's policy (empty when there is none). */
    private List<String> servicesOf(String keyId) {
        String document = call("GetKeyPolicy", () -> kms().getKeyPolicy(b -> b.keyId(keyId).policyName("default"))).policy();
        List<String> out = new ArrayList<>();
        try {
            for (JsonNode statement : JSON.readTree(document).path("Statement")) {
                if (SERVICES_SID.equals(statement.path("Sid").asText())) {
                    JsonNode service = statement.path("Principal").path("Service");
                    if (service.isArray()) {
                        service.forEach(n -> out.add(n.asText()));
                    } else if (service.isTextual()) {
                        out.add(service.asText());
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // A policy AWS returned that is not JSON would be AWS's bug: report no services, so a plan shows it.
        }
        return out.stream().sorted().toList();
    }

    private static List<String> services(ResourceSpec spec) {
        Object v = spec.attributes().get(SERVICES);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    private ResourceGroupsTaggingApiClient tagging() {
        return clients().client(ResourceGroupsTaggingApiClient.class, ResourceGroupsTaggingApiClient::builder);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        return keysTagged(TagFilter.builder().key(STACK_TAG).values(stack).build());
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::readKey);
    }

    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return lookup(stack, spec.address());
    }

    private Optional<LiveResource> lookup(String stack, String address) {
        return keysTagged(TagFilter.builder().key(STACK_TAG).values(stack).build(),
                TagFilter.builder().key(ADDRESS_TAG).values(address).build())
                .stream()
                .filter(r -> isOurs(r, stack, address))
                .min(Comparator.comparing(LiveResource::id));
    }

    /** Keys carrying all these tags (one GetResources call, all pages), skipping those pending deletion. */
    private List<LiveResource> keysTagged(TagFilter... filters) {
        List<ResourceTagMapping> mappings = call("GetResources", () -> tagging().getResourcesPaginator(
                b -> b.resourceTypeFilters("kms:key").tagFilters(filters)).resourceTagMappingList().stream().toList());
        List<LiveResource> out = new ArrayList<>();
        for (ResourceTagMapping m : mappings) {
            Map<String, String> tags = new TreeMap<>();
            m.tags().forEach(t -> tags.put(t.key(), t.value()));
            describe(keyIdOf(m.resourceARN())).ifPresent(md -> out.add(toLive(md, tags)));
        }
        return out;
    }

    /** The key in a usable state (neither pending deletion nor gone), with its tags. */
    private Optional<LiveResource> readKey(String keyId) {
        return describe(keyId).map(md -> toLive(md, tagsOf(md.keyId())));
    }

    private Optional<KeyMetadata> describe(String keyId) {
        try {
            KeyMetadata md = call("DescribeKey", () -> kms().describeKey(b -> b.keyId(keyId))).keyMetadata();
            return isPendingDeletion(md) ? Optional.empty() : Optional.of(md);
        } catch (AwsCallException e) {
            if (isGone(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean isPendingDeletion(KeyMetadata md) {
        return md.keyState() == KeyState.PENDING_DELETION || md.keyState() == KeyState.PENDING_REPLICA_DELETION;
    }

    private Map<String, String> tagsOf(String keyId) {
        Map<String, String> tags = new TreeMap<>();
        call("ListResourceTags", () -> kms().listResourceTagsPaginator(b -> b.keyId(keyId)).tags().stream().toList())
                .forEach(t -> tags.put(t.tagKey(), t.tagValue()));
        return tags;
    }

    private LiveResource toLive(KeyMetadata md, Map<String, String> tags) {
        boolean rotation = call("GetKeyRotationStatus",
                () -> kms().getKeyRotationStatus(b -> b.keyId(md.keyId()))).keyRotationEnabled();
        Map<String, Object> a = new TreeMap<>();
        a.put(DESCRIPTION, md.description() == null ? "" : md.description());
        a.put(ROTATION, rotation);
        a.put(MULTI_REGION, Boolean.TRUE.equals(md.multiRegion()));
        a.put(ARN, md.arn());
        a.put(SERVICES, servicesOf(md.keyId()));
        return live(md.keyId(), tags, a);
    }

    private static String keyIdOf(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        long window = deletionWindow(spec, spec.attributes().get(WINDOW));
        String description = SpecValues.optionalString(spec, DESCRIPTION);
        boolean multiRegion = SpecValues.bool(spec, MULTI_REGION, false);
        String stack = spec.tags().get(STACK_TAG);
        String keyId = createOnce(ctx, spec.address(),
                () -> call("CreateKey", () -> kmsOnce().createKey(b -> b.description(description).policy(policy(services(spec)))
                        .multiRegion(multiRegion).tags(kmsTags(spec.tags())))).keyMetadata().keyId(),
                () -> stack == null ? Optional.empty() : lookup(stack, spec.address()).map(LiveResource::id),
                e -> false);
        if (SpecValues.bool(spec, ROTATION, false)) {
            setRotation(ctx, keyId, true);
        }
        return with(readBack(ctx, keyId), WINDOW, window);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String keyId = current.id();
        LiveResource now = readNow(spec, keyId, this::readKey);
        updateTags(now, spec, t -> call("TagResource", () -> kms().tagResource(b -> b.keyId(keyId).tags(kmsTags(t)))),
                keys -> call("UntagResource", () -> kms().untagResource(b -> b.keyId(keyId).tagKeys(keys))));
        String description = SpecValues.optionalString(spec, DESCRIPTION);
        if (description != null && !description.equals(now.attributes().get(DESCRIPTION))) {
            call("UpdateKeyDescription", () -> kms().updateKeyDescription(b -> b.keyId(keyId).description(description)));
        }
        if (spec.attributes().containsKey(SERVICES) && !services(spec).equals(now.attributes().get(SERVICES))) {
            String document = policy(services(spec));
            call("PutKeyPolicy", () -> kms().putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy(document)));
        }
        Boolean rotation = SpecValues.optionalBoolean(spec, ROTATION);
        if (rotation != null && !rotation.equals(now.attributes().get(ROTATION))) {
            setRotation(ctx, keyId, rotation);
        }
        Object window = spec.attributes().get(WINDOW);
        return with(readBack(ctx, keyId), WINDOW, window == null ? null : deletionWindow(spec, window));
    }

    /** Rotation calls right after CreateKey may not see the key yet (NotFoundException): retried for a while. */
    private void setRotation(OperationContext ctx, String keyId, boolean enabled) {
        whenPropagated(ctx, (enabled ? "EnableKeyRotation " : "DisableKeyRotation ") + keyId, this::isGone,
                () -> enabled
                        ? call("EnableKeyRotation", () -> kms().enableKeyRotation(b -> b.keyId(keyId)))
                        : call("DisableKeyRotation", () -> kms().disableKeyRotation(b -> b.keyId(keyId))));
    }

    private LiveResource readBack(OperationContext ctx, String keyId) {
        return awaitPropagation(ctx, keyId + " to become readable", () -> readKey(keyId));
    }

    /**
     * ScheduleKeyDeletion with the key's deletionWindowDays (from the attributes the engine recorded at create; 7
     * when they lack it), then waits until the key reads as pending deletion. A key already pending deletion is done.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String keyId = current.id();
        Object recorded = current.attributes().get(WINDOW);
        int window = (int) (recorded instanceof Number n ? n.longValue() : DEFAULT_WINDOW_DAYS);
        try {
            call("ScheduleKeyDeletion", () -> kms().scheduleKeyDeletion(b -> b.keyId(keyId).pendingWindowInDays(window)));
        } catch (AwsCallException e) {
            // KMSInvalidStateException: e.g. already pending deletion. Only that counts as done.
            if (!"KMSInvalidStateException".equals(e.code()) || describe(keyId).isPresent()) {
                throw e;
            }
        }
        awaitGone(ctx, keyId, () -> describe(keyId));
    }

    private static long deletionWindow(ResourceSpec spec, Object value) {
        if (value == null) {
            return DEFAULT_WINDOW_DAYS;
        }
        long days = SpecValues.number(spec, WINDOW);
        if (days < 7 || days > 30) {
            throw new ProviderException(spec.address(), WINDOW + " must be between 7 and 30 days, got " + days);
        }
        return days;
    }

    private static List<Tag> kmsTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().tagKey(e.getKey()).tagValue(Objects.toString(e.getValue(), "")).build())
                .toList();
    }
}
