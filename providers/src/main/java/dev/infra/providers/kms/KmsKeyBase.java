package dev.infra.providers.kms;

import static dev.infra.providers.AwsCallException.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.HeldData;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import dev.infra.providers.iam.ServiceLinkedRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;

/**
 * What the key types share ({@code aws_kms_key}, {@code aws_kms_replica_key}): description, servicePrincipals (the key
 * policy), deletionWindowDays (write-only), tags; computed arn. The id is the key id, in this provider's region.
 *
 * <p>The key policy is the account's root statement (what AWS's default policy holds) plus, per service principal,
 * statements {@value #SERVICE_SID}… conditioned on this account's resources of that service (aws:SourceAccount,
 * aws:SourceArn, the encryption context: see {@link #serviceStatements}); reads report their principals. With
 * serviceLinkedRoles, two more let those services' service-linked roles use the key and grant it to the resources
 * they launch ({@value #LINKED_SID}, {@value #GRANTS_SID}): what Auto Scaling needs to launch instances whose volumes
 * use the key (EC2 Auto Scaling User Guide, "Required AWS KMS key policy for use with encrypted volumes"). KMS refuses
 * a policy naming a role that does not exist, so the role is made first if the account has none yet
 * (CreateServiceLinkedRole: what AWS does itself at an account's first Auto Scaling group).
 *
 * <p>KMS has no tag filter on ListKeys, so the stack's keys come from the Resource Groups Tagging API (one
 * GetResources call, tags included); each key then costs a DescribeKey and a GetKeyPolicy (and what the type reads
 * besides), which have no batch form. A type {@link #owns} only some keys: a multi-Region replica belongs to
 * {@code aws_kms_replica_key}, every other key to {@code aws_kms_key}, so discovery never takes one for the other. A
 * key pending deletion counts as gone: delete is ScheduleKeyDeletion with a waiting period of deletionWindowDays (7
 * when absent), after which AWS removes it.
 */
public abstract class KmsKeyBase extends KmsProvider {

    static final String DESCRIPTION = "description";
    static final String WINDOW = "deletionWindowDays";
    static final String ARN = "arn";
    static final String SERVICES = "servicePrincipals";
    /**
     * The Sid prefix of the statements for services ({@code InfraForCloudtrail}…). The single unconditioned
     * {@code InfraServices} statement keys had before is not read as one: the next plan rewrites it.
     */
    static final String SERVICE_SID = "InfraFor";
    static final String LINKED_ROLES = "serviceLinkedRoles";
    static final String LINKED_SID = "InfraServiceLinkedRoles";
    static final String GRANTS_SID = "InfraServiceLinkedRoleGrants";
    private static final List<String> USE = List.of("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*",
            "kms:ReEncrypt*");
    static final long DEFAULT_WINDOW_DAYS = 7;
    /** How long a new key may stay Creating: a multi-Region replica can take minutes (Terraform waits up to 10). */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    protected KmsKeyBase(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    /** Whether a key of this metadata is of this type (discovery by tag skips the others). */
    protected abstract boolean owns(KeyMetadata md);

    /** The live resource of a key (usable, owned or named by state) and its tags. */
    protected abstract LiveResource toLive(KeyMetadata md, Map<String, String> tags);

    static boolean isReplica(KeyMetadata md) {
        return md.multiRegionConfiguration() != null
                && md.multiRegionConfiguration().multiRegionKeyType() == MultiRegionKeyType.REPLICA;
    }

    // ---- key policy -------------------------------------------------------------------------------------

    /**
     * The key policy: the account root may administer and use the key (as in AWS's default policy, so IAM policies keep
     * working), and each listed service may use it on the account's behalf, for this account's resources only (the
     * confused-deputy guidance): one statement per service, as {@link #serviceStatements} says.
     */
    String policy(ResourceSpec spec) {
        List<String> services = strings(spec, SERVICES);
        Map<String, Object> root = new TreeMap<>(Map.of("Sid", "AccountRoot", "Effect", "Allow",
                "Principal", Map.of("AWS", clients().globalArn("iam", "root")), "Action", "kms:*", "Resource", "*"));
        List<Object> statements = new ArrayList<>(List.of(root));
        services.stream().sorted().forEach(service -> statements.addAll(serviceStatements(service)));
        List<String> roles = strings(spec, LINKED_ROLES).stream().sorted().map(service -> ServiceLinkedRoles.arn(clients(), service)).toList();
        if (!roles.isEmpty()) {
            statements.add(new TreeMap<>(Map.of("Sid", LINKED_SID, "Effect", "Allow",
                    "Principal", Map.of("AWS", roles), "Action", USE, "Resource", "*")));
            statements.add(new TreeMap<>(Map.of("Sid", GRANTS_SID, "Effect", "Allow",
                    "Principal", Map.of("AWS", roles), "Action", "kms:CreateGrant", "Resource", "*",
                    "Condition", Map.of("Bool", Map.of("kms:GrantIsForAWSResource", true)))));
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", statements)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What {@code service} may do with the key, each statement named {@value #SERVICE_SID}… and conditioned as the
     * service's own guide gives it: CloudTrail ("Configure AWS KMS key policies for CloudTrail") on its trails' ARNs
     * in this account (aws:SourceArn, and the encryption context kms:EncryptionContext:aws:cloudtrail:arn), CloudWatch
     * Logs ("Encrypt log data in CloudWatch Logs using AWS KMS") on the encryption context of this account's log groups
     * in the region, CloudWatch alarms publishing to an encrypted topic (SNS "Key management", AWS services) on
     * aws:SourceAccount and this account's alarms (aws:SourceArn), the log delivery service writing VPC flow logs to an
     * SSE-KMS bucket (Amazon VPC User Guide, "Required key policy for use with SSE-KMS") on aws:SourceAccount and this
     * account's log deliveries in the region, GuardDuty exporting findings ("Exporting generated findings to Amazon S3",
     * the key policy step: kms:GenerateDataKey) on aws:SourceAccount and this account's detectors in the region. Any
     * other service: the account (aws:SourceAccount).
     */
    private List<Map<String, Object>> serviceStatements(String service) {
        String[] root = clients().globalArn("iam", "root").split(":");
        String partition = root[1];
        String account = root[4];
        String label = service.substring(0, service.indexOf('.'));
        String sid = SERVICE_SID + Character.toUpperCase(label.charAt(0)) + label.substring(1);
        Map<String, Object> principal = Map.of("Service", service);
        // By the principal's first label: the rest is the partition's DNS suffix (amazonaws.com, amazonaws.com.cn).
        if (label.equals("cloudtrail")) {
            String trails = "arn:" + partition + ":cloudtrail:*:" + account + ":trail/*";
            return List.of(
                    statement(sid, principal, List.of("kms:GenerateDataKey*"), Map.of(
                            "StringEquals", Map.of("aws:SourceAccount", account),
                            "ArnLike", Map.of("aws:SourceArn", trails),
                            "StringLike", Map.of("kms:EncryptionContext:aws:cloudtrail:arn", trails))),
                    statement(sid + "Describe", principal, List.of("kms:DescribeKey"), Map.of(
                            "StringEquals", Map.of("aws:SourceAccount", account),
                            "ArnLike", Map.of("aws:SourceArn", trails))));
        }
        if (label.equals("logs")) {
            String region = service.split("\\.")[1]; // logs.<region>.<suffix>
            return List.of(statement(sid, principal, List.of("kms:Decrypt*", "kms:Describe*", "kms:Encrypt*",
                    "kms:GenerateDataKey*", "kms:ReEncrypt*"), Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                    "arn:" + partition + ":logs:" + region + ":" + account + ":log-group:*"))));
        }
        if (label.equals("cloudwatch")) {
            return List.of(statement(sid, principal, List.of("kms:Decrypt", "kms:GenerateDataKey*"), Map.of(
                    "StringEquals", Map.of("aws:SourceAccount", account),
                    "ArnLike", Map.of("aws:SourceArn", "arn:" + partition + ":cloudwatch:*:" + account + ":alarm:*"))));
        }
        if (label.equals("delivery")) {
            return List.of(statement(sid, principal, List.of("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt",
                    "kms:GenerateDataKey*", "kms:ReEncrypt*"), Map.of(
                    "StringEquals", Map.of("aws:SourceAccount", account),
                    "ArnLike", Map.of("aws:SourceArn", "arn:" + partition + ":logs:" + clients().region() + ":" + account + ":*"))));
        }
        if (label.equals("guardduty")) {
            return List.of(statement(sid, principal, List.of("kms:GenerateDataKey"), Map.of(
                    "StringEquals", Map.of("aws:SourceAccount", account),
                    "ArnLike", Map.of("aws:SourceArn",
                            "arn:" + partition + ":guardduty:" + clients().region() + ":" + account + ":detector/*"))));
        }
        return List.of(statement(sid, principal, USE, Map.of("StringEquals", Map.of("aws:SourceAccount", account))));
    }

    private static Map<String, Object> statement(String sid, Map<String, Object> principal, List<String> actions,
                                                 Map<String, Object> condition) {
        return new TreeMap<>(Map.of("Sid", sid, "Effect", "Allow", "Principal", principal, "Action", actions,
                "Resource", "*", "Condition", condition));
    }

    /** The services of the key's policy: its service statements' principals, and whose service-linked roles it names. */
    private Map<String, List<String>> principalsOf(String keyId) {
        String document = call("GetKeyPolicy", () -> kms().getKeyPolicy(b -> b.keyId(keyId).policyName("default"))).policy();
        List<String> services = new ArrayList<>();
        List<String> linked = new ArrayList<>();
        try {
            for (JsonNode statement : JSON.readTree(document).path("Statement")) {
                String sid = statement.path("Sid").asText();
                if (sid.startsWith(SERVICE_SID)) {
                    texts(statement.path("Principal").path("Service")).forEach(services::add);
                } else if (LINKED_SID.equals(sid)) {
                    // arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling
                    texts(statement.path("Principal").path("AWS")).forEach(arn -> {
                        String[] parts = arn.split("/");
                        linked.add(parts.length > 2 ? parts[2] : arn);
                    });
                }
            }
        } catch (JsonProcessingException e) {
            // A policy AWS returned that is not JSON would be AWS's bug: report no services, so a plan shows it.
        }
        return Map.of(SERVICES, services.stream().distinct().sorted().toList(), LINKED_ROLES, linked.stream().sorted().toList());
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
        return out;
    }

    static List<String> strings(ResourceSpec spec, String attribute) {
        Object v = spec.attributes().get(attribute);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    /** The attributes both key types read: description, servicePrincipals, arn. */
    protected final Map<String, Object> commonAttributes(KeyMetadata md) {
        Map<String, Object> a = new TreeMap<>();
        a.put(DESCRIPTION, md.description() == null ? "" : md.description());
        a.put(ARN, md.arn());
        a.putAll(principalsOf(md.keyId()));
        return a;
    }

    // ---- reads ------------------------------------------------------------------------------------------

    private ResourceGroupsTaggingApiClient tagging() {
        return clients().client(ResourceGroupsTaggingApiClient.class, ResourceGroupsTaggingApiClient::builder);
    }

    @Override
    protected final List<LiveResource> readStack(String stack) {
        return keysTagged(TagFilter.builder().key(STACK_TAG).values(stack).build());
    }

    @Override
    protected final List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::readKey);
    }

    @Override
    protected final Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return lookup(stack, spec.address());
    }

    /** The key of this type tagged with this stack and address (the lowest id if several). */
    protected final Optional<LiveResource> lookup(String stack, String address) {
        return keysTagged(TagFilter.builder().key(STACK_TAG).values(stack).build(),
                TagFilter.builder().key(ADDRESS_TAG).values(address).build())
                .stream()
                .filter(r -> isOurs(r, stack, address))
                .min(Comparator.comparing(LiveResource::id));
    }

    /** Keys of this type carrying all these tags (one GetResources call, all pages), skipping those pending deletion. */
    private List<LiveResource> keysTagged(TagFilter... filters) {
        List<ResourceTagMapping> mappings = call("GetResources", () -> tagging().getResourcesPaginator(
                b -> b.resourceTypeFilters("kms:key").tagFilters(filters)).resourceTagMappingList().stream().toList());
        return readDetails(mappings, m -> {
            Map<String, String> tags = new TreeMap<>();
            m.tags().forEach(t -> tags.put(t.key(), t.value()));
            return describe(keyIdOf(m.resourceARN())).filter(this::owns).map(md -> toLive(md, tags));
        });
    }

    /** The key in a usable state (neither pending deletion nor gone), with its tags. */
    protected final Optional<LiveResource> readKey(String keyId) {
        return describe(keyId).map(md -> toLive(md, tagsOf(md.keyId())));
    }

    protected final Optional<KeyMetadata> describe(String keyId) {
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

    private static String keyIdOf(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * KMS's refusal of a key policy naming a principal it does not see yet (a role just made: "Policy contains a
     * statement with one or more invalid principals"), which the CreateKey and PutKeyPolicy references say to wait out;
     * Terraform's aws_kms_key retries it for IAM's propagation window (internal/service/kms/key.go). Retried as long.
     */
    static boolean principalsNotYetSeen(AwsCallException e) {
        return "MalformedPolicyDocumentException".equals(e.code());
    }

    /** Brings the tags, description and key policy {@code changed} names to the spec's, from {@code current}. */
    protected final void updateCommon(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        String keyId = current.id();
        updateTags(current, spec, changed, t -> call("TagResource", () -> kms().tagResource(b -> b.keyId(keyId)
                        .tags(kmsTags(t)))),
                keys -> call("UntagResource", () -> kms().untagResource(b -> b.keyId(keyId).tagKeys(keys))));
        String description = SpecValues.optionalString(spec, DESCRIPTION);
        if (description != null && changed.contains(DESCRIPTION)) {
            call("UpdateKeyDescription", () -> kms().updateKeyDescription(b -> b.keyId(keyId).description(description)));
        }
        if (changed.contains(SERVICES) || changed.contains(LINKED_ROLES)) {
            String document = policy(spec);
            whenPropagated(ctx, "PutKeyPolicy " + keyId + " (MalformedPolicyDocumentException: KMS not seeing a new principal"
                    + " yet)", KmsKeyBase::principalsNotYetSeen, () -> call("PutKeyPolicy",
                    () -> kms().putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy(document))));
        }
    }

    /**
     * Polls until the key reads as usable (not Creating: a replica is while KMS copies it), then returns it with
     * {@code window} as deletionWindowDays (write-only; null: left out).
     */
    protected final LiveResource readBack(OperationContext ctx, String keyId, Long window) {
        LiveResource key = ctx.await(keyId + " to become usable (a replica is Creating while KMS copies it)",
                READY_TIMEOUT, PROPAGATION_INTERVAL, () -> describe(keyId).filter(md -> md.keyState() != KeyState.CREATING)
                        .map(md -> toLive(md, tagsOf(keyId))));
        return with(key, WINDOW, window);
    }

    /** The deletionWindowDays an update records: the spec's, checked; null when the spec has none. */
    static Long updatedWindow(ResourceSpec spec) {
        Object window = spec.attributes().get(WINDOW);
        return window == null ? null : deletionWindow(spec, window);
    }

    /**
     * ScheduleKeyDeletion with the key's deletionWindowDays (from the attributes the engine recorded at create; 7
     * when they lack it), then waits until the key reads as pending deletion. A key already pending deletion is done.
     */
    @Override
    protected final void deleteResource(LiveResource current, OperationContext ctx) {
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

    /**
     * What scheduling the key's deletion risks: the EBS volumes and snapshots outside the stack (not tagged with its
     * {@code infra:stack}) that it encrypts, unreadable once it is deleted; said in the plan, not refused (the deletion
     * window is the way back). EC2 cannot filter by key: every encrypted volume and own snapshot is listed.
     */
    @Override
    public Optional<HeldData> heldData(LiveResource live) {
        String arn = live.attributes().get(ARN) instanceof String a ? a : null;
        if (arn == null) {
            return Optional.empty();
        }
        String stack = tags(live).get(STACK_TAG);
        Ec2Client ec2 = clients().ec2();
        Filter encrypted = Filter.builder().name("encrypted").values("true").build();
        List<String> outside = new ArrayList<>();
        call("DescribeVolumes", () -> ec2.describeVolumesPaginator(b -> b.filters(encrypted)).volumes().stream()
                .filter(v -> arn.equals(v.kmsKeyId()) && v.tags().stream().noneMatch(t -> isStack(t.key(), t.value(), stack)))
                .map(v -> v.volumeId()).toList()).forEach(outside::add);
        call("DescribeSnapshots", () -> ec2.describeSnapshotsPaginator(b -> b.ownerIds("self").filters(encrypted))
                .snapshots().stream()
                .filter(v -> arn.equals(v.kmsKeyId()) && v.tags().stream().noneMatch(t -> isStack(t.key(), t.value(), stack)))
                .map(v -> v.snapshotId()).toList()).forEach(outside::add);
        if (outside.isEmpty()) {
            return Optional.empty();
        }
        Object window = live.attributes().get(WINDOW);
        return Optional.of(new HeldData("the key of " + outside.size() + " EBS volume(s)/snapshot(s) outside the stack ("
                + String.join(", ", outside.subList(0, Math.min(3, outside.size()))) + (outside.size() > 3 ? ", …" : "")
                + "), unreadable once the key is deleted (CancelKeyDeletion within its " + (window instanceof Number n
                ? n.longValue() : DEFAULT_WINDOW_DAYS) + "-day window keeps it)", HeldData.Guard.SHOWN));
    }

    private static boolean isStack(String key, String value, String stack) {
        return STACK_TAG.equals(key) && Objects.equals(value, stack);
    }

    /** The spec's deletionWindowDays (7 when absent), checked against what KMS allows (7–30) before any call. */
    static long deletionWindow(ResourceSpec spec, Object value) {
        if (value == null) {
            return DEFAULT_WINDOW_DAYS;
        }
        long days = SpecValues.number(spec, WINDOW);
        if (days < 7 || days > 30) {
            throw new ProviderException(spec.address(), WINDOW + " must be between 7 and 30 days, got " + days);
        }
        return days;
    }

    static List<Tag> kmsTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().tagKey(e.getKey()).tagValue(Objects.toString(e.getValue(), "")).build())
                .toList();
    }
}
