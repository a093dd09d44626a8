package dev.infra.providers.s3;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.SseKmsEncryptedObjectsStatus;

/**
 * {@code aws_s3_bucket_replication_rule}: ONE rule of the replication configuration of a source bucket in another
 * region: bucket, sourceRegion, ruleId (F), destinationBucketArn, roleArn, deleteMarkerReplication (A); computed
 * priority. No tags (a rule has none): the engine matches rules by id, and findExisting by ruleId in the bucket.
 *
 * <p>The id is {@code <sourceRegion>/<bucket>/<ruleId>} (e.g. {@code us-east-1/shop-data/infra-eu-west-1}): all a
 * read needs, as readAll gets only ids. Region and bucket names hold no {@code /}; the rule id is the rest.
 *
 * <p>A provider registered in the replica region reaches the source bucket through {@link AwsClients#in}. Several
 * replica regions each own one rule of the same configuration, so every change reads the configuration
 * (GetBucketReplication; ReplicationConfigurationNotFoundError = none yet), changes only this rule and writes it back
 * (PutBucketReplication, or DeleteBucketReplication when no rule is left), then reads again until the change shows;
 * a read that shows it lost (another writer wrote a configuration read before this change) writes it again. Rules
 * follow S3's V2 schema: Filter with the empty prefix (the whole bucket), Priority, DeleteMarkerReplication, Status
 * Enabled, Destination.Bucket. The configuration has one IAM role: every write sets it to this rule's roleArn. A new
 * rule's priority is one more than the highest in the configuration; a rule already there (an interrupted create,
 * an update) keeps its own.
 *
 * <p>S3 requires versioning on the source and the destination bucket; the tool does not turn it on here (the buckets
 * own it), and AWS's refusal is reported with its message. readAll: one GetBucketReplication per source bucket named
 * by the ids. Deleting a rule whose bucket or configuration is gone is done.
 */
public final class BucketReplicationRuleProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_s3_bucket_replication_rule";
    static final String BUCKET = "bucket";
    static final String SOURCE_REGION = "sourceRegion";
    static final String RULE_ID = "ruleId";
    static final String DESTINATION = "destinationBucketArn";
    static final String ROLE = "roleArn";
    static final String DELETE_MARKERS = "deleteMarkerReplication";
    static final String REPLICA_KEY = "replicaKmsKeyArn";
    static final String PRIORITY = "priority";
    static final String NO_CONFIGURATION = "ReplicationConfigurationNotFoundError";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(BUCKET, Kind.REFERENCE)
                    .doc("source bucket"),
            Attribute.required(DELETE_MARKERS, Kind.BOOL).updatable(),
            Attribute.required(DESTINATION, Kind.REFERENCE).updatable()
                    .doc("`arn:aws:s3:::<dest>`"),
            Attribute.required(REPLICA_KEY, Kind.REFERENCE).updatable()
                    .doc("the key in the destination's region that replicas are encrypted with; present = SSE-KMS objects are replicated: SourceSelectionCriteria SseKmsEncryptedObjects Enabled and Destination EncryptionConfiguration ReplicaKmsKeyID; absent = they are not"),
            Attribute.required(ROLE, Kind.REFERENCE).updatable()
                    .doc("the configuration's one IAM role: every write sets it"),
            Attribute.required(RULE_ID, Kind.STRING)
                    .doc("e.g. `infra-us-east-1`"),
            Attribute.required(SOURCE_REGION, Kind.STRING)
                    .doc("the source bucket's region P"),
            Attribute.computed(PRIORITY, Kind.NUMBER)
                    .doc("at create one more than the highest in the configuration; a rule already there keeps its own"))
            .with(Trait.LINKED_TO_PRIMARY)
            .id("`<sourceRegion>/<bucket>/<ruleId>` (readAll needs only the id: one GetBucketReplication per source bucket)")
            .notes("ONE rule (V2 schema: Filter prefix \"\", Status Enabled) of P's bucket's replication configuration, registered in the replica region R and calling P (`AwsClients.in`); create/update/delete read-modify-write the configuration, keeping other regions' rules (the last rule out: DeleteBucketReplication). S3 needs versioning on both buckets: not enabled here, AWS's refusal is reported. Bucket or configuration gone = deleted");

    public BucketReplicationRuleProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    /** Where a rule lives: the source bucket and its region, and the rule's id. */
    record RuleRef(String sourceRegion, String bucket, String ruleId) {

        static RuleRef of(ResourceSpec spec) {
            return new RuleRef(SpecValues.string(spec, SOURCE_REGION), SpecValues.string(spec, BUCKET),
                    SpecValues.string(spec, RULE_ID));
        }

        /** From an id {@code <sourceRegion>/<bucket>/<ruleId>}; null when it is not of that form. */
        static RuleRef parse(String id) {
            String[] parts = id.split("/", 3);
            return parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty() && !parts[2].isEmpty()
                    ? new RuleRef(parts[0], parts[1], parts[2]) : null;
        }

        String id() {
            return sourceRegion + "/" + bucket + "/" + ruleId;
        }
    }

    private S3Client s3(String region) {
        return clients().in(region).s3();
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return BucketProvider.GONE.contains(e.code()) || e.isNotFound();
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /** One GetBucketReplication per source bucket the ids name. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        Map<String, List<RuleRef>> byBucket = new LinkedHashMap<>();
        ids.stream().map(RuleRef::parse).filter(Objects::nonNull)
                .forEach(r -> byBucket.computeIfAbsent(r.sourceRegion() + "/" + r.bucket(), k -> new ArrayList<>()).add(r));
        List<LiveResource> out = new ArrayList<>();
        byBucket.values().forEach(refs -> configuration(refs.get(0)).ifPresent(
                config -> refs.forEach(ref -> ruleIn(config, ref).ifPresent(rule -> out.add(toLive(ref, config, rule))))));
        return out;
    }

    /** The rule with the spec's ruleId in the source bucket's configuration, whoever wrote it. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return read(RuleRef.of(spec));
    }

    private Optional<LiveResource> read(RuleRef ref) {
        return configuration(ref).flatMap(config -> ruleIn(config, ref).map(rule -> toLive(ref, config, rule)));
    }

    /** The source bucket's replication configuration; empty when it has none or the bucket is gone. */
    private Optional<ReplicationConfiguration> configuration(RuleRef ref) {
        return ProviderSupport.unless(e -> NO_CONFIGURATION.equals(e.code()) || isGone(e),
                () -> Optional.ofNullable(call("GetBucketReplication",
                        () -> s3(ref.sourceRegion()).getBucketReplication(b -> b.bucket(ref.bucket())))
                        .replicationConfiguration()));
    }

    private static Optional<ReplicationRule> ruleIn(ReplicationConfiguration config, RuleRef ref) {
        return config.rules().stream().filter(r -> ref.ruleId().equals(r.id())).findFirst();
    }

    private LiveResource toLive(RuleRef ref, ReplicationConfiguration config, ReplicationRule rule) {
        Map<String, Object> a = new TreeMap<>();
        a.put(BUCKET, ref.bucket());
        a.put(SOURCE_REGION, ref.sourceRegion());
        a.put(RULE_ID, ref.ruleId());
        putIfPresent(a, DESTINATION, rule.destination() == null ? null : rule.destination().bucket());
        putIfPresent(a, ROLE, config.role());
        a.put(DELETE_MARKERS, rule.deleteMarkerReplication() != null
                && rule.deleteMarkerReplication().status() == DeleteMarkerReplicationStatus.ENABLED);
        putIfPresent(a, PRIORITY, rule.priority() == null ? null : rule.priority().longValue());
        if (rule.destination() != null && rule.destination().encryptionConfiguration() != null) {
            putIfPresent(a, REPLICA_KEY, rule.destination().encryptionConfiguration().replicaKmsKeyID());
        }
        return live(ref.id(), Map.of(), a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        return write(spec, ctx, RuleRef.of(spec));
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return write(spec, ctx, RuleRef.of(spec));
    }

    /** Adds or replaces this rule, keeping every other rule, until a read shows it as the spec has it. */
    private LiveResource write(ResourceSpec spec, OperationContext ctx, RuleRef ref) {
        String role = SpecValues.string(spec, ROLE);
        String destination = SpecValues.string(spec, DESTINATION);
        boolean deleteMarkers = SpecValues.bool(spec, DELETE_MARKERS, false);
        String replicaKey = SpecValues.optionalString(spec, REPLICA_KEY);
        return converge(ctx, "rule " + ref.id() + " in the replication configuration", () -> {
            Optional<ReplicationConfiguration> config = configuration(ref);
            return config.flatMap(c -> ruleIn(c, ref)
                    .filter(r -> role.equals(c.role()) && r.status() == ReplicationRuleStatus.ENABLED)
                    .map(r -> toLive(ref, c, r))
                    .filter(l -> destination.equals(l.attributes().get(DESTINATION))
                            && Boolean.valueOf(deleteMarkers).equals(l.attributes().get(DELETE_MARKERS))
                            && Objects.equals(replicaKey, l.attributes().get(REPLICA_KEY))));
        }, () -> {
            List<ReplicationRule> rules = configuration(ref).map(ReplicationConfiguration::rules).orElse(List.of());
            Integer priority = rules.stream().filter(r -> ref.ruleId().equals(r.id())).map(ReplicationRule::priority)
                    .filter(Objects::nonNull).findFirst()
                    .orElseGet(() -> 1 + rules.stream().map(ReplicationRule::priority).filter(Objects::nonNull)
                            .mapToInt(Integer::intValue).max().orElse(0));
            ReplicationRule.Builder rule = ReplicationRule.builder()
                    .id(ref.ruleId())
                    .priority(priority)
                    .filter(f -> f.prefix(""))
                    .status(ReplicationRuleStatus.ENABLED)
                    .deleteMarkerReplication(d -> d.status(deleteMarkers
                            ? DeleteMarkerReplicationStatus.ENABLED : DeleteMarkerReplicationStatus.DISABLED))
                    .destination(d -> d.bucket(destination));
            if (replicaKey != null) {
                // SSE-KMS objects replicate only when the rule selects them and names the key to encrypt replicas
                // with (S3 User Guide, "Replicating objects created with server-side encryption (SSE-KMS)").
                rule.sourceSelectionCriteria(s -> s.sseKmsEncryptedObjects(k -> k.status(SseKmsEncryptedObjectsStatus.ENABLED)))
                        .destination(d -> d.bucket(destination).encryptionConfiguration(e -> e.replicaKmsKeyID(replicaKey)));
            }
            List<ReplicationRule> next = new ArrayList<>(rules.stream().filter(r -> !ref.ruleId().equals(r.id())).toList());
            next.add(rule.build());
            put(spec.address(), ref, role, next);
        });
    }

    /**
     * Takes this rule out of the configuration, keeping the others (with the configuration's role); the last rule
     * out deletes the configuration. A bucket or configuration that is gone, or a rule no longer there, is done.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        RuleRef ref = RuleRef.parse(current.id());
        if (ref == null) {
            throw new ProviderException(ctx.address(), "not a replication rule id (<sourceRegion>/<bucket>/<ruleId>): "
                    + current.id());
        }
        converge(ctx, "rule " + ref.id() + " to leave the replication configuration",
                () -> configuration(ref).flatMap(c -> ruleIn(c, ref)).isEmpty() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                () -> configuration(ref).ifPresent(config -> {
                    List<ReplicationRule> rest = config.rules().stream().filter(r -> !ref.ruleId().equals(r.id())).toList();
                    if (rest.isEmpty()) {
                        ignoreGone(() -> call("DeleteBucketReplication",
                                () -> s3(ref.sourceRegion()).deleteBucketReplication(b -> b.bucket(ref.bucket()))));
                    } else {
                        put(ctx.address(), ref, config.role(), rest);
                    }
                }));
    }

    private void put(String address, RuleRef ref, String role, List<ReplicationRule> rules) {
        try {
            call("PutBucketReplication", () -> s3(ref.sourceRegion()).putBucketReplication(b -> b.bucket(ref.bucket())
                    .replicationConfiguration(c -> c.role(role).rules(rules))));
        } catch (AwsCallException e) {
            if (isGone(e)) {
                throw new ProviderException(address, "source bucket " + ref.bucket() + " (" + ref.sourceRegion()
                        + ") does not exist: " + e.getMessage(), e);
            }
            // e.g. InvalidRequest: versioning must be Enabled on the source (and destination) bucket.
            throw new ProviderException(address, "S3 refused the replication configuration of bucket " + ref.bucket()
                    + " (" + ref.sourceRegion() + "): " + e.getMessage()
                    + " (replication needs versioning enabled on both buckets)", e);
        }
    }

    /**
     * Read-modify-write until {@code done} reads the wanted state: reads; when not there, {@code write} (which reads
     * the configuration itself) and reads again; polls for {@link #PROPAGATION_TIMEOUT}. A write lost to a concurrent
     * one (another region's rule written from an older read) is so written again.
     */
    private static <T> T converge(OperationContext ctx, String what, Supplier<Optional<T>> done, Runnable write) {
        return awaitPropagation(ctx, what, () -> {
            Optional<T> now = done.get();
            if (now.isPresent()) {
                return now;
            }
            write.run();
            return done.get();
        });
    }
}
