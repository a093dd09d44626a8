package dev.infra.providers.autoscaling;

import static dev.infra.providers.AwsCallException.call;

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
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.autoscaling.model.RefreshStrategy;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupRequest;

/**
 * {@code aws_autoscaling_group}: name, launchTemplateId, launchTemplateVersion (a version number, as a string; a
 * number is accepted and converted), minSize, maxSize, desiredCapacity, subnetIds (a set), targetGroupArns (a set),
 * tags (propagated to instances at launch). The id is the group name.
 *
 * <p>readAll is one DescribeAutoScalingGroups filtered by the stack tag, plus one by name for state ids it missed.
 * A change of launch template or version starts an instance refresh (Rolling, AWS's default preferences), cancelling
 * one still running for an older version; the update does not wait for the refresh to finish. A create and a resize
 * wait until the group has its desired capacity of healthy instances, failing with the failed scaling activity's
 * message when launches fail. Delete is a force
 * delete (instances terminated) and waits until the group is gone.
 */
public final class AutoScalingGroupProvider extends AutoScalingProvider {

    public static final String TYPE = "aws_autoscaling_group";
    static final String NAME = "name";
    static final String TEMPLATE = "launchTemplateId";
    static final String VERSION = "launchTemplateVersion";
    static final String MIN = "minSize";
    static final String MAX = "maxSize";
    static final String DESIRED = "desiredCapacity";
    static final String SUBNETS = "subnetIds";
    static final String TARGET_GROUPS = "targetGroupArns";

    /** Terminating a group's instances takes minutes. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(20);
    static final Duration DELETE_INTERVAL = Duration.ofSeconds(10);
    static final Duration REFRESH_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform's wait_for_capacity_timeout default. */
    static final Duration CAPACITY_TIMEOUT = Duration.ofMinutes(10);
    static final Duration CAPACITY_INTERVAL = Duration.ofSeconds(10);
    /** Activities are stamped by AWS's clock: those up to this long before the call count as its own. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(5);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(DESIRED, Kind.NUMBER).updatable(),
            Attribute.required(TEMPLATE, Kind.REFERENCE).updatable(),
            Attribute.required(VERSION, Kind.REFERENCE).updatable()
                    .doc("a version number"),
            Attribute.required(MAX, Kind.NUMBER).updatable(),
            Attribute.required(MIN, Kind.NUMBER).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.AUTO_SCALING_NAME),
            Attribute.required(SUBNETS, Kind.SET).updatable(),
            Attribute.required(TARGET_GROUPS, Kind.SET).updatable())
            .with(Trait.TAGGED)
            .id("group name")
            .notes("Tags propagate at launch. A launch-template version change starts an instance refresh");

    public AutoScalingGroupProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        Filter byStack = Filter.builder().name("tag:" + STACK_TAG).values(stack).build();
        return describeGroups(List.of(byStack), List.of()).stream()
                .filter(AutoScalingProvider::isLive).map(this::toLive).toList();
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return describeGroups(List.of(), ids).stream().filter(AutoScalingProvider::isLive).map(this::toLive).toList();
    }

    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return read(SpecValues.string(spec, NAME)).filter(r -> isOurs(r, stack, spec.address()));
    }

    private Optional<LiveResource> read(String name) {
        return readIds(List.of(name)).stream().filter(r -> r.id().equals(name)).findFirst();
    }

    private LiveResource toLive(AutoScalingGroup g) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, g.autoScalingGroupName());
        if (g.launchTemplate() != null) {
            putIfPresent(a, TEMPLATE, g.launchTemplate().launchTemplateId());
            putIfPresent(a, VERSION, g.launchTemplate().version());
        }
        a.put(MIN, g.minSize().longValue());
        a.put(MAX, g.maxSize().longValue());
        a.put(DESIRED, g.desiredCapacity().longValue());
        a.put(SUBNETS, List.copyOf(subnetsOf(g.vpcZoneIdentifier())));
        a.put(TARGET_GROUPS, List.copyOf(new TreeSet<>(g.targetGroupARNs())));
        Map<String, String> tags = new TreeMap<>();
        g.tags().forEach(t -> tags.put(t.key(), t.value()));
        return live(g.autoScalingGroupName(), tags, a);
    }

    private static Set<String> subnetsOf(String vpcZoneIdentifier) {
        Set<String> out = new TreeSet<>();
        if (vpcZoneIdentifier != null) {
            Arrays.stream(vpcZoneIdentifier.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * CreateAutoScalingGroup, tagged. An instance profile made just before (in the launch template) may not be
     * visible to Auto Scaling yet: AWS then answers ValidationError "Invalid IAM Instance Profile", which is retried.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        LaunchTemplateSpecification template = template(spec);
        Set<String> subnets = new TreeSet<>(SpecValues.strings(spec, SUBNETS));
        List<String> targetGroups = List.copyOf(new TreeSet<>(SpecValues.strings(spec, TARGET_GROUPS)));
        Integer desired = spec.attributes().containsKey(DESIRED) ? size(spec, DESIRED) : null;
        String stack = spec.tags().get(STACK_TAG);
        createOnce(ctx, spec.address(), () -> {
            call("CreateAutoScalingGroup", () -> autoScalingForCreates().createAutoScalingGroup(b -> b
                    .autoScalingGroupName(name)
                    .launchTemplate(template)
                    .minSize(size(spec, MIN))
                    .maxSize(size(spec, MAX))
                    .desiredCapacity(desired)
                    .vpcZoneIdentifier(String.join(",", subnets))
                    .targetGroupARNs(targetGroups.isEmpty() ? null : targetGroups)
                    .tags(asgTags(name, spec.tags()))));
            return name;
        }, () -> read(name).filter(r -> isOurs(r, stack, spec.address())).map(LiveResource::id),
                e -> "ValidationError".equals(e.code()) && mentions(e, "Invalid IAM Instance Profile"));
        awaitCapacity(ctx, name, Instant.now().minus(CLOCK_SKEW));
        return readBack(ctx, name);
    }

    /**
     * Waits until the group has its desired capacity of InService, Healthy instances, as Terraform's
     * wait_for_capacity_timeout does (10 minutes). A launch that fails (a key Auto Scaling may not use, an AMI that is
     * gone, no capacity) never gets there: the first failed scaling activity since {@code since} fails the wait with
     * the activity's own message.
     */
    private void awaitCapacity(OperationContext ctx, String name, Instant since) {
        ctx.await(name + " to reach its desired capacity of healthy instances", CAPACITY_TIMEOUT, CAPACITY_INTERVAL, () -> {
            AutoScalingGroup g = describeGroups(List.of(), List.of(name)).stream().findFirst().orElse(null);
            if (g == null) {
                return Optional.empty();
            }
            long healthy = g.instances().stream().filter(i -> i.lifecycleState() == LifecycleState.IN_SERVICE
                    && "Healthy".equalsIgnoreCase(i.healthStatus())).count();
            if (healthy >= g.desiredCapacity()) {
                return Optional.of(g);
            }
            call("DescribeScalingActivities", () -> autoScaling().describeScalingActivities(b -> b
                    .autoScalingGroupName(name).maxRecords(20)).activities()).stream()
                    .filter(a -> a.statusCode() == ScalingActivityStatusCode.FAILED
                            && (a.startTime() == null || a.startTime().isAfter(since)))
                    .findFirst()
                    .ifPresent(a -> {
                        throw new ProviderException(ctx.address(), "Auto Scaling group " + name + " could not launch"
                                + " instances (" + healthy + " of " + g.desiredCapacity() + " healthy): "
                                + a.statusMessage() + (a.description() == null ? "" : " [" + a.description() + "]"));
                    });
            return Optional.empty();
        });
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        updateTags(current, spec, changed,
                t -> call("CreateOrUpdateTags", () -> autoScaling().createOrUpdateTags(b -> b.tags(asgTags(name, t)))),
                keys -> call("DeleteTags", () -> autoScaling().deleteTags(b -> b.tags(keys.stream()
                        .map(k -> Tag.builder().resourceId(name).resourceType("auto-scaling-group").key(k).build())
                        .toList()))));

        boolean newTemplate = changed.contains(TEMPLATE) || changed.contains(VERSION);
        boolean resize = changed.contains(MIN) || changed.contains(MAX) || changed.contains(DESIRED);
        Set<String> subnets = new TreeSet<>(SpecValues.strings(spec, SUBNETS));
        boolean moveSubnets = changed.contains(SUBNETS);
        if (newTemplate || resize || moveSubnets) {
            UpdateAutoScalingGroupRequest.Builder b = UpdateAutoScalingGroupRequest.builder().autoScalingGroupName(name);
            if (newTemplate) {
                b.launchTemplate(template(spec));
            }
            if (resize) {
                // AWS checks min <= desired <= max on the values after the update: send all three.
                b.minSize(size(spec, MIN)).maxSize(size(spec, MAX));
                if (spec.attributes().containsKey(DESIRED)) {
                    b.desiredCapacity(size(spec, DESIRED));
                }
            }
            if (moveSubnets) {
                b.vpcZoneIdentifier(String.join(",", subnets));
            }
            Instant since = Instant.now().minus(CLOCK_SKEW);
            call("UpdateAutoScalingGroup", () -> autoScaling().updateAutoScalingGroup(b.build()));
            if (resize) {
                awaitCapacity(ctx, name, since);
            }
        }

        if (changed.contains(TARGET_GROUPS)) {
            Set<String> want = new TreeSet<>(SpecValues.strings(spec, TARGET_GROUPS));
            Set<String> attached = new TreeSet<>(list(current.attributes(), TARGET_GROUPS));
            List<String> attach = want.stream().filter(arn -> !attached.contains(arn)).toList();
            List<String> detach = attached.stream().filter(arn -> !want.contains(arn)).toList();
            if (!attach.isEmpty()) {
                attachTargetGroups(name, attach);
            }
            if (!detach.isEmpty()) {
                detachTargetGroups(name, detach);
            }
        }

        if (newTemplate) {
            startInstanceRefresh(ctx, name);
        }
        return readBack(ctx, name);
    }

    /**
     * Replaces the group's instances with ones from the new template version. Only one refresh runs at a time: one
     * still rolling out an older version is cancelled, and the start retried until AWS has wound it down.
     */
    private void startInstanceRefresh(OperationContext ctx, String name) {
        retrying(ctx, "StartInstanceRefresh " + name, REFRESH_TIMEOUT, REFRESH_INTERVAL,
                e -> "InstanceRefreshInProgress".equals(e.code()), () -> {
                    try {
                        return call("StartInstanceRefresh", () -> autoScaling().startInstanceRefresh(
                                b -> b.autoScalingGroupName(name).strategy(RefreshStrategy.ROLLING)));
                    } catch (AwsCallException e) {
                        if ("InstanceRefreshInProgress".equals(e.code())) {
                            cancelInstanceRefresh(name);
                        }
                        throw e;
                    }
                });
    }

    private void cancelInstanceRefresh(String name) {
        try {
            call("CancelInstanceRefresh", () -> autoScaling().cancelInstanceRefresh(b -> b.autoScalingGroupName(name)));
        } catch (AwsCallException e) {
            // Already finished or already being cancelled.
            if (!"ActiveInstanceRefreshNotFound".equals(e.code())) {
                throw e;
            }
        }
    }

    private LiveResource readBack(OperationContext ctx, String name) {
        return awaitPropagation(ctx, name + " to become readable", () -> read(name));
    }

    /** Force delete (terminates the instances), retried while a scaling activity is in progress; waits until gone. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String name = current.id();
        retrying(ctx, "DeleteAutoScalingGroup " + name, DELETE_TIMEOUT, DELETE_INTERVAL,
                e -> "ScalingActivityInProgress".equals(e.code()) || "ResourceInUse".equals(e.code()),
                () -> call("DeleteAutoScalingGroup",
                        () -> autoScaling().deleteAutoScalingGroup(b -> b.autoScalingGroupName(name).forceDelete(true))));
        // A group being deleted still reads back (status "Delete in progress"): gone means not listed at all.
        awaitGone(ctx, name, DELETE_TIMEOUT, DELETE_INTERVAL,
                () -> describeGroups(List.of(), List.of(name)).stream().findFirst());
    }

    // ---- spec values ------------------------------------------------------------------------------------

    /** The launch template by id; the version as AWS wants it, a string, whether the spec holds a string or a number. */
    private static LaunchTemplateSpecification template(ResourceSpec spec) {
        return LaunchTemplateSpecification.builder()
                .launchTemplateId(SpecValues.string(spec, TEMPLATE))
                .version(SpecValues.optionalString(spec, VERSION))
                .build();
    }

    private static int size(ResourceSpec spec, String name) {
        return Math.toIntExact(SpecValues.number(spec, name));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> attributes, String name) {
        return (List<String>) attributes.getOrDefault(name, List.of());
    }

    /** Group tags as Auto Scaling wants them: on the group, propagated to the instances it launches. */
    private static List<Tag> asgTags(String group, Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().resourceId(group).resourceType("auto-scaling-group")
                        .key(e.getKey()).value(Objects.toString(e.getValue(), "")).propagateAtLaunch(true).build())
                .toList();
    }
}
