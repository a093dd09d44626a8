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
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * {@code aws_cloudwatch_metric_alarm} (id: the alarm name): name, namespace, metricName, dimensions (Map), statistic,
 * period (Long s), evaluationPeriods (Long), threshold (Number: a Long when whole), comparisonOperator, alarmActions
 * (set of topic ARNs), treatMissingData, tags; computed arn.
 *
 * <p>PutMetricAlarm both creates and updates (it is idempotent on the name, so the ordinary retrying client is
 * safe). AWS applies its Tags only when it creates the alarm, so an update changes tags with TagResource /
 * UntagResource. readAll: DescribeAlarms has no tag filter, so the stack's alarms come from one GetResources call
 * (type {@code cloudwatch:alarm}, tags included), then one DescribeAlarms per 100 names (its limit).
 */
public final class MetricAlarmProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_cloudwatch_metric_alarm";
    static final String NAME = "name";
    static final String NAMESPACE = "namespace";
    static final String METRIC = "metricName";
    static final String DIMENSIONS = "dimensions";
    static final String STATISTIC = "statistic";
    static final String PERIOD = "period";
    static final String EVALUATION_PERIODS = "evaluationPeriods";
    static final String THRESHOLD = "threshold";
    static final String OPERATOR = "comparisonOperator";
    static final String ACTIONS = "alarmActions";
    static final String MISSING_DATA = "treatMissingData";
    static final String ARN = "arn";
    /** DescribeAlarms takes at most 100 AlarmNames. */
    static final int DESCRIBE_BATCH = 100;
    private static final String ALARM = ":alarm:";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(ACTIONS, Kind.SET).updatable()
                    .doc("topic ARNs"),
            Attribute.required(OPERATOR, Kind.STRING).rule(Rule.OneOf.of("comparison operator", "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold")).updatable(),
            Attribute.required(DIMENSIONS, Kind.MAP).updatable()
                    .doc("String→String"),
            Attribute.required(EVALUATION_PERIODS, Kind.NUMBER).updatable(),
            Attribute.required(METRIC, Kind.STRING).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.ALARM),
            Attribute.required(NAMESPACE, Kind.STRING).updatable(),
            Attribute.required(PERIOD, Kind.NUMBER).updatable()
                    .doc("s"),
            Attribute.required(STATISTIC, Kind.STRING).rule(Rule.OneOf.of("statistic", "SampleCount", "Average", "Sum", "Minimum", "Maximum")).updatable(),
            Attribute.required(THRESHOLD, Kind.NUMBER).updatable(),
            Attribute.required(MISSING_DATA, Kind.STRING).rule(Rule.OneOf.of("missing-data treatment", "breaching", "notBreaching", "ignore", "missing")).updatable(),
            Attribute.computed(ARN, Kind.STRING))
            .with(Trait.TAGGED)
            .id("alarm name");

    public MetricAlarmProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private CloudWatchClient cloudWatch() {
        return clients().client(CloudWatchClient.class, CloudWatchClient::builder);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        Map<String, Map<String, String>> tagsByName = new TreeMap<>();
        taggedResources("cloudwatch:alarm", Map.of(STACK_TAG, stack)).forEach((arn, tags) ->
                tagsByName.put(arn.substring(arn.indexOf(ALARM) + ALARM.length()), tags));
        return describe(tagsByName.keySet()).stream().map(a -> toLive(a, tagsByName.get(a.alarmName()))).toList();
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return describe(ids).stream().map(a -> toLive(a, tagsOf(a.alarmArn()))).toList();
    }

    /** By name, unique in the region: adopted when untagged or tagged for this address and stack. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return claimed(spec.address(), stack, "alarm " + name, readAlarm(name));
    }

    private Optional<LiveResource> readAlarm(String name) {
        return readIds(List.of(name)).stream().findFirst();
    }

    /** The metric alarms of these names that exist, one DescribeAlarms (all pages) per {@value #DESCRIBE_BATCH}. */
    private List<MetricAlarm> describe(Collection<String> names) {
        List<String> all = List.copyOf(names);
        List<MetricAlarm> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += DESCRIBE_BATCH) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + DESCRIBE_BATCH));
            out.addAll(call("DescribeAlarms", () -> cloudWatch().describeAlarmsPaginator(b -> b.alarmNames(batch))
                    .metricAlarms().stream().filter(a -> batch.contains(a.alarmName())).toList()));
        }
        return out;
    }

    private Map<String, String> tagsOf(String arn) {
        Map<String, String> tags = new TreeMap<>();
        call("ListTagsForResource", () -> cloudWatch().listTagsForResource(b -> b.resourceARN(arn))).tags()
                .forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private LiveResource toLive(MetricAlarm m, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, m.alarmName());
        putIfPresent(a, NAMESPACE, m.namespace());
        putIfPresent(a, METRIC, m.metricName());
        Map<String, String> dimensions = new TreeMap<>();
        m.dimensions().forEach(d -> dimensions.put(d.name(), d.value()));
        a.put(DIMENSIONS, dimensions);
        putIfPresent(a, STATISTIC, m.statisticAsString());
        putIfPresent(a, PERIOD, m.period() == null ? null : m.period().longValue());
        putIfPresent(a, EVALUATION_PERIODS, m.evaluationPeriods() == null ? null : m.evaluationPeriods().longValue());
        putIfPresent(a, THRESHOLD, m.threshold() == null ? null : number(m.threshold()));
        putIfPresent(a, OPERATOR, m.comparisonOperatorAsString());
        a.put(ACTIONS, m.alarmActions().stream().sorted().toList());
        putIfPresent(a, MISSING_DATA, m.treatMissingData());
        a.put(ARN, m.alarmArn());
        return live(m.alarmName(), tags, a);
    }

    /** A whole threshold as a Long, as a topology writes it (80, not 80.0); else the Double. */
    private static Object number(double value) {
        return value == Math.rint(value) && Math.abs(value) < Long.MAX_VALUE ? (Object) (long) value : value;
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        PutMetricAlarmRequest request = request(spec).toBuilder().tags(alarmTags(spec.tags())).build();
        call("PutMetricAlarm", () -> cloudWatch().putMetricAlarm(request));
        return readBack(ctx, name);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        String arn = (String) current.attributes().get(ARN);
        updateTags(current, spec, changed, t -> call("TagResource", () -> cloudWatch().tagResource(b -> b.resourceARN(arn)
                        .tags(alarmTags(t)))),
                keys -> call("UntagResource", () -> cloudWatch().untagResource(b -> b.resourceARN(arn).tagKeys(keys))));
        if (changed.stream().anyMatch(a -> !a.equals(TAGS))) {
            PutMetricAlarmRequest request = request(spec);
            call("PutMetricAlarm", () -> cloudWatch().putMetricAlarm(request));
        }
        return readBack(ctx, name);
    }

    /** PutMetricAlarm with every setting of the spec (an update replaces the whole alarm definition), no tags. */
    private static PutMetricAlarmRequest request(ResourceSpec spec) {
        List<Dimension> dimensions = new ArrayList<>();
        Object d = spec.attributes().get(DIMENSIONS);
        if (d instanceof Map<?, ?> m) {
            new TreeMap<>(m).forEach((k, v) -> dimensions.add(Dimension.builder().name(String.valueOf(k))
                    .value(String.valueOf(v)).build()));
        } else if (d != null) {
            throw new ProviderException(spec.address(), "attribute " + DIMENSIONS + " must be a map, got " + d);
        }
        return PutMetricAlarmRequest.builder()
                .alarmName(SpecValues.string(spec, NAME))
                .namespace(SpecValues.string(spec, NAMESPACE))
                .metricName(SpecValues.string(spec, METRIC))
                .dimensions(dimensions)
                .statistic(SpecValues.string(spec, STATISTIC))
                .period((int) SpecValues.number(spec, PERIOD))
                .evaluationPeriods((int) SpecValues.number(spec, EVALUATION_PERIODS))
                .threshold(threshold(spec))
                .comparisonOperator(SpecValues.string(spec, OPERATOR))
                .alarmActions(SpecValues.strings(spec, ACTIONS))
                .treatMissingData(SpecValues.optionalString(spec, MISSING_DATA))
                .build();
    }

    private static double threshold(ResourceSpec spec) {
        Object v = spec.attributes().get(THRESHOLD);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(SpecValues.string(spec, THRESHOLD).trim());
        } catch (NumberFormatException e) {
            throw new ProviderException(spec.address(), "attribute " + THRESHOLD + " must be a number, got " + v);
        }
    }

    private static List<Tag> alarmTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }

    private LiveResource readBack(OperationContext ctx, String name) {
        return awaitPropagation(ctx, "alarm " + name + " to become readable", () -> readAlarm(name));
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        call("DeleteAlarms", () -> cloudWatch().deleteAlarms(b -> b.alarmNames(current.id())));
        awaitGone(ctx, "alarm " + current.id(), () -> readAlarm(current.id()));
    }
}
