package dev.infra.providers.autoscaling;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.PutResourceProvider;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.MetricType;
import software.amazon.awssdk.services.autoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.autoscaling.model.TargetTrackingConfiguration;

/**
 * {@code aws_autoscaling_policy}: autoScalingGroupName, name, targetCpu (target tracking on the group's average CPU);
 * no tags. The id is the policy ARN.
 *
 * <p>Policies carry no tags, so readAll reads only the policies state holds: one DescribePolicies per group those
 * ARNs name (usually one or two; none when state holds no policy). findExisting looks the policy up by group and
 * name, which are unique together.
 */
public final class AutoScalingPolicyProvider extends PutResourceProvider {

    public static final String TYPE = "aws_autoscaling_policy";
    static final String GROUP = "autoScalingGroupName";
    static final String NAME = "name";
    static final String TARGET_CPU = "targetCpu";
    static final String TARGET_TRACKING = "TargetTrackingScaling";

    /** {@code arn:aws:autoscaling:<region>:<account>:scalingPolicy:<uuid>:autoScalingGroupName/<group>:policyName/<name>}. */
    private static final Pattern ARN = Pattern.compile(":autoScalingGroupName/(.+):policyName/(.+)$");

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(GROUP, Kind.REFERENCE),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.AUTO_SCALING_NAME),
            Attribute.required(TARGET_CPU, Kind.NUMBER).updatable()
                    .doc("target-tracking ASGAverageCPUUtilization"))
            .id("policy ARN");

    public AutoScalingPolicyProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private AutoScalingClient autoScaling() {
        return clients().client(AutoScalingClient.class, AutoScalingClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return AutoScalingProvider.notFound(e);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        Set<String> groups = new TreeSet<>();
        boolean unparsable = false;
        for (String arn : ids) {
            Matcher m = ARN.matcher(arn);
            if (m.find()) {
                groups.add(m.group(1));
            } else {
                unparsable = true;
            }
        }
        List<ScalingPolicy> policies = new ArrayList<>();
        if (unparsable) {
            policies.addAll(describe(null, null));
        } else {
            ParallelReads.each(groups, g -> Optional.of(describe(g, null))).forEach(policies::addAll);
        }
        return policies.stream().filter(p -> ids.contains(p.policyARN())).map(this::toLive).toList();
    }

    @Override
    protected Optional<LiveResource> read(ResourceSpec spec) {
        return read(SpecValues.string(spec, GROUP), SpecValues.string(spec, NAME));
    }

    private Optional<LiveResource> read(String group, String name) {
        return describe(group, name).stream().filter(p -> name.equals(p.policyName())).findFirst().map(this::toLive);
    }

    /** DescribePolicies (all pages) of one group (all groups when null), of one policy name when not null. */
    private List<ScalingPolicy> describe(String group, String name) {
        try {
            return call("DescribePolicies", () -> autoScaling().describePoliciesPaginator(b -> b
                    .autoScalingGroupName(group).policyNames(name == null ? null : List.of(name)))
                    .scalingPolicies().stream().toList());
        } catch (AwsCallException e) {
            if (isGone(e)) {
                return List.of(); // the group is gone, and its policies with it
            }
            throw e;
        }
    }

    private LiveResource toLive(ScalingPolicy p) {
        Map<String, Object> a = new TreeMap<>();
        a.put(GROUP, p.autoScalingGroupName());
        a.put(NAME, p.policyName());
        TargetTrackingConfiguration c = p.targetTrackingConfiguration();
        boolean cpuTracking = TARGET_TRACKING.equals(p.policyType()) && c != null && c.targetValue() != null
                && c.predefinedMetricSpecification() != null
                && c.predefinedMetricSpecification().predefinedMetricType() == MetricType.ASG_AVERAGE_CPU_UTILIZATION;
        if (cpuTracking) {
            double v = c.targetValue();
            a.put(TARGET_CPU, v == Math.rint(v) ? (Object) (long) v : (Object) v);
        }
        return live(p.policyARN(), Map.of(), a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected String noun() {
        return "scaling policy";
    }

    @Override
    protected String nameOf(ResourceSpec spec) {
        return SpecValues.string(spec, NAME);
    }

    /** PutScalingPolicy creates or replaces by group and name, so trying it again is harmless. */
    @Override
    protected void put(ResourceSpec spec, OperationContext ctx) {
        String group = SpecValues.string(spec, GROUP);
        String name = SpecValues.string(spec, NAME);
        double target = SpecValues.number(spec, TARGET_CPU);
        TargetTrackingConfiguration config = TargetTrackingConfiguration.builder()
                .predefinedMetricSpecification(m -> m.predefinedMetricType(MetricType.ASG_AVERAGE_CPU_UTILIZATION))
                .targetValue(target)
                .build();
        // A group created just before may not be visible yet ("not found"): retried for a while.
        whenPropagated(ctx, "PutScalingPolicy " + name, this::isGone, () -> call("PutScalingPolicy",
                () -> autoScaling().putScalingPolicy(b -> b.autoScalingGroupName(group).policyName(name)
                        .policyType(TARGET_TRACKING).targetTrackingConfiguration(config))));
    }

    /** Read back with the target asked for (a replaced policy may read as before for a moment). */
    @Override
    protected boolean shows(LiveResource read, ResourceSpec spec) {
        return Long.valueOf((long) SpecValues.number(spec, TARGET_CPU)).equals(read.attributes().get(TARGET_CPU));
    }

    /** DeletePolicy by group and name (taken from the ARN when the attributes lack them). */
    @Override
    protected void remove(LiveResource current) {
        String group = groupOf(current);
        call("DeletePolicy", () -> autoScaling().deletePolicy(b -> b.autoScalingGroupName(group)
                .policyName(nameOf(current))));
    }

    /** By group and name; without a group (neither attributes nor ARN say it), nothing to wait for. */
    @Override
    protected Optional<LiveResource> reread(LiveResource current) {
        String group = groupOf(current);
        return group == null ? Optional.empty() : read(group, nameOf(current));
    }

    private static String groupOf(LiveResource current) {
        Matcher m = ARN.matcher(current.id());
        Object group = current.attributes().getOrDefault(GROUP, m.find() ? m.group(1) : null);
        return group == null ? null : group.toString();
    }

    private static String nameOf(LiveResource current) {
        Matcher m = ARN.matcher(current.id());
        return current.attributes().getOrDefault(NAME, m.find() ? m.group(2) : current.id()).toString();
    }
}
