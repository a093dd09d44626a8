package dev.infra.providers.cloudwatch;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * {@code aws_cloudwatch_log_group} (id: the group name): name, retentionDays (Long; absent: never expire), kmsKeyArn
 * (absent: CloudWatch Logs' own encryption), tags; computed arn (without the {@code :*} suffix). Created with its
 * tags and key (CreateLogGroup), then PutRetentionPolicy; the key changes with AssociateKmsKey / DisassociateKmsKey.
 *
 * <p>readAll: DescribeLogGroups has no tag filter, so the stack's groups come from one GetResources call of the
 * Resource Groups Tagging API (tags included), then one DescribeLogGroups per 50 of them (logGroupIdentifiers).
 */
public final class LogGroupProvider extends LogsProvider {

    public static final String TYPE = "aws_cloudwatch_log_group";
    static final String NAME = "name";
    static final String RETENTION = "retentionDays";
    static final String KMS_KEY = "kmsKeyArn";
    static final String ARN = "arn";
    /** DescribeLogGroups takes at most 50 logGroupIdentifiers. */
    static final int DESCRIBE_BATCH = 50;
    /** Log groups in ARNs: {@code arn:aws:logs:<region>:<account>:log-group:<name>}. */
    private static final String LOG_GROUP = ":log-group:";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(KMS_KEY, Kind.REFERENCE).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.LOG_GROUP),
            Attribute.required(RETENTION, Kind.NUMBER).rule(Rule.OneOf.of("retention in days", "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653")).updatable(),
            Attribute.computed(ARN, Kind.STRING))
            .with(Trait.TAGGED)
            .id("group name");

    public LogGroupProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /** The tagging API's {@code logs} type covers every CloudWatch Logs resource: only log group ARNs are kept. */
    @Override
    protected List<LiveResource> readStack(String stack) {
        Map<String, Map<String, String>> tagsByName = new TreeMap<>();
        taggedResources("logs", Map.of(STACK_TAG, stack)).forEach((arn, tags) -> {
            int at = arn.indexOf(LOG_GROUP);
            if (at >= 0) {
                tagsByName.put(withoutWildcard(arn).substring(at + LOG_GROUP.length()), tags);
            }
        });
        return describe(tagsByName.keySet()).stream()
                .map(g -> toLive(g, tagsByName.get(g.logGroupName())))
                .toList();
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return describe(ids).stream().map(g -> toLive(g, tagsOf(arnOf(g)))).toList();
    }

    /** By name, unique in the region: adopted when untagged or tagged for this address and stack. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return claimed(spec.address(), stack, "log group " + name, readGroup(name));
    }

    private Optional<LiveResource> readGroup(String name) {
        return readIds(List.of(name)).stream().findFirst();
    }

    /** The groups of these names that exist, one DescribeLogGroups (all pages) per {@value #DESCRIBE_BATCH}. */
    private List<LogGroup> describe(Collection<String> names) {
        List<String> all = List.copyOf(names);
        List<LogGroup> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += DESCRIBE_BATCH) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + DESCRIBE_BATCH));
            out.addAll(call("DescribeLogGroups", () -> logs().describeLogGroupsPaginator(b -> b.logGroupIdentifiers(batch))
                    .logGroups().stream().filter(g -> batch.contains(g.logGroupName())).toList()));
        }
        return out;
    }

    private Map<String, String> tagsOf(String arn) {
        return call("ListTagsForResource", () -> logs().listTagsForResource(b -> b.resourceArn(arn))).tags();
    }

    private LiveResource toLive(LogGroup g, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, g.logGroupName());
        putIfPresent(a, RETENTION, g.retentionInDays() == null ? null : g.retentionInDays().longValue());
        putIfPresent(a, KMS_KEY, g.kmsKeyId());
        a.put(ARN, arnOf(g));
        return live(g.logGroupName(), tags, a);
    }

    /** The group's ARN as tagging takes it: logGroupArn, or the {@code arn} without its {@code :*}. */
    private static String arnOf(LogGroup g) {
        return g.logGroupArn() != null ? g.logGroupArn() : withoutWildcard(g.arn());
    }

    private static String withoutWildcard(String arn) {
        return arn.endsWith(":*") ? arn.substring(0, arn.length() - 2) : arn;
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        createOnce(ctx, spec.address(), () -> call("CreateLogGroup", () -> clients()
                        .forCreates(CloudWatchLogsClient.class, CloudWatchLogsClient::builder)
                        .createLogGroup(b -> b.logGroupName(name).tags(spec.tags())
                                .kmsKeyId(SpecValues.optionalString(spec, KMS_KEY)))),
                () -> readGroup(name).map(LiveResource::id), LogGroupProvider::keyNotYetUsable);
        if (spec.attributes().get(RETENTION) != null) {
            int days = (int) SpecValues.number(spec, RETENTION);
            whenPropagated(ctx, "PutRetentionPolicy " + name, this::isGone, () -> call("PutRetentionPolicy",
                    () -> logs().putRetentionPolicy(b -> b.logGroupName(name).retentionInDays(days))));
        }
        return readBack(ctx, name);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        String arn = (String) current.attributes().get(ARN);
        updateTags(current, spec, changed, t -> call("TagResource", () -> logs().tagResource(b -> b.resourceArn(arn).tags(t))),
                keys -> call("UntagResource", () -> logs().untagResource(b -> b.resourceArn(arn).tagKeys(keys))));
        if (changed.contains(RETENTION) && spec.attributes().get(RETENTION) == null) {
            call("DeleteRetentionPolicy", () -> logs().deleteRetentionPolicy(b -> b.logGroupName(name)));
        } else if (changed.contains(RETENTION)) {
            int days = (int) SpecValues.number(spec, RETENTION);
            call("PutRetentionPolicy", () -> logs().putRetentionPolicy(b -> b.logGroupName(name).retentionInDays(days)));
        }
        String key = SpecValues.optionalString(spec, KMS_KEY);
        if (changed.contains(KMS_KEY)) {
            if (key == null) {
                call("DisassociateKmsKey", () -> logs().disassociateKmsKey(b -> b.logGroupName(name)));
            } else {
                whenPropagated(ctx, "AssociateKmsKey " + name + " (AccessDeniedException: the new key not usable yet)",
                        LogGroupProvider::keyNotYetUsable,
                        () -> call("AssociateKmsKey", () -> logs().associateKmsKey(b -> b.logGroupName(name).kmsKeyId(key))));
            }
        }
        return readBack(ctx, name);
    }

    /**
     * CloudWatch Logs' refusal of a key it cannot use yet ("The specified KMS key does not exist or is not allowed to be
     * used with Arn …"): a key made, or whose policy changed, moments before. Retried for the propagation window; a key
     * whose policy never lets logs in fails with that answer after it.
     */
    static boolean keyNotYetUsable(AwsCallException e) {
        return "AccessDeniedException".equals(e.code()) && e.getMessage() != null
                && e.getMessage().contains("KMS key does not exist or is not allowed");
    }

    private LiveResource readBack(OperationContext ctx, String name) {
        return awaitPropagation(ctx, "log group " + name + " to become readable", () -> readGroup(name));
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        call("DeleteLogGroup", () -> logs().deleteLogGroup(b -> b.logGroupName(current.id())));
        awaitGone(ctx, "log group " + current.id(), () -> readGroup(current.id()));
    }
}
