package dev.infra.providers.autoscaling;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.autoscaling.model.LoadBalancerTargetGroupState;

/**
 * {@code aws_autoscaling_attachment}: autoScalingGroupName, targetGroupArn (both force replacement); no tags. The
 * group's instances, and every instance it launches later, register with the target group: how the nodes of an EKS
 * managed node group (whose Auto Scaling group EKS creates) become an ALB's targets.
 *
 * <p>The id is {@code <autoScalingGroupName>|<targetGroupArn>}. A target group ARN never contains {@code |} (target
 * group names are letters, digits and hyphens), so the id is split at its last {@code |}, whatever the group name
 * holds (Auto Scaling allows {@code |} in names, not {@code :}).
 *
 * <p>An attachment exists while DescribeLoadBalancerTargetGroups of its group lists the target group in a state other
 * than {@code Removing} or {@code Removed} (AWS's states: Adding, Added, InService, Removing, Removed). Attachments
 * carry no tags: readAll reads only the ids in state, with one DescribeLoadBalancerTargetGroups per group they name;
 * findExisting adopts an attachment the group already lists. Create is AttachLoadBalancerTargetGroups (harmless to
 * repeat), then waits until the state is {@code Added} (all instances registered; where it stays under EC2 health
 * checks) or {@code InService} (an instance passed the ELB health check). Delete is DetachLoadBalancerTargetGroups,
 * then waits until the group no longer lists the target group (or lists it {@code Removed}); a group or target group
 * that is gone counts as detached.
 */
public final class AutoScalingAttachmentProvider extends AutoScalingProvider {

    public static final String TYPE = "aws_autoscaling_attachment";
    static final String GROUP = "autoScalingGroupName";
    static final String TARGET_GROUP = "targetGroupArn";
    static final String SEPARATOR = "|";

    static final Set<String> ATTACHED = Set.of("Added", "InService");
    static final Set<String> DETACHING = Set.of("Removing", "Removed");
    /** Registering a group's instances waits for each to be running. */
    static final Duration ATTACH_TIMEOUT = Duration.ofMinutes(10);
    /** Deregistering waits for the target group's deregistration delay (connection draining, 300 s by default). */
    static final Duration DETACH_TIMEOUT = Duration.ofMinutes(15);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(GROUP, Kind.REFERENCE),
            Attribute.required(TARGET_GROUP, Kind.REFERENCE))
            .id("`<autoScalingGroupName>\\|<targetGroupArn>` (split at the last `\\|`: an ARN never holds one)")
            .notes("The group's instances (and those it launches later) register with the target group: e.g. an EKS node group's group (its autoScalingGroupName) with an ALB's instance target group. Exists while DescribeLoadBalancerTargetGroups lists it other than Removing/Removed; create waits for Added or InService; delete detaches and waits until it is no longer listed (or Removed); a group or target group gone = detached");

    public AutoScalingAttachmentProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    /** {@code <group>|<targetGroupArn>}. */
    static String idOf(String group, String targetGroupArn) {
        return group + SEPARATOR + targetGroupArn;
    }

    /** The id as {group, target group ARN}, or empty when it is not an attachment id. */
    static Optional<String[]> split(String id) {
        int at = id.lastIndexOf(SEPARATOR);
        if (at <= 0 || at == id.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[] {id.substring(0, at), id.substring(at + 1)});
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /** One DescribeLoadBalancerTargetGroups per group the ids name. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        Map<String, Set<String>> byGroup = new TreeMap<>();
        for (String id : ids) {
            split(id).ifPresent(k -> byGroup.computeIfAbsent(k[0], g -> new TreeSet<>()).add(k[1]));
        }
        return ParallelReads.each(byGroup.entrySet(), e -> {
            Map<String, String> states = states(e.getKey());
            return Optional.of(e.getValue().stream().filter(arn -> isAttached(states.get(arn)))
                    .map(arn -> toLive(e.getKey(), arn)).toList());
        }).stream().flatMap(List::stream).toList();
    }

    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String group = SpecValues.string(spec, GROUP);
        String arn = SpecValues.string(spec, TARGET_GROUP);
        return isAttached(states(group).get(arn)) ? Optional.of(toLive(group, arn)) : Optional.empty();
    }

    /** Target group ARN → state, of every target group the group lists; empty when the group is gone. */
    private Map<String, String> states(String group) {
        Map<String, String> out = new TreeMap<>();
        try {
            call("DescribeLoadBalancerTargetGroups", () -> autoScaling()
                    .describeLoadBalancerTargetGroupsPaginator(b -> b.autoScalingGroupName(group)).stream()
                    .flatMap(page -> page.loadBalancerTargetGroups().stream()).toList())
                    .forEach((LoadBalancerTargetGroupState s) -> out.put(s.loadBalancerTargetGroupARN(), s.state()));
        } catch (AwsCallException e) {
            if (!isGone(e)) {
                throw e;
            }
        }
        return out;
    }

    /** Listed and not on its way out (null: not listed). */
    private static boolean isAttached(String state) {
        return state != null && !DETACHING.contains(state);
    }

    private LiveResource toLive(String group, String arn) {
        return live(idOf(group, arn), Map.of(), Map.of(GROUP, group, TARGET_GROUP, arn));
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * AttachLoadBalancerTargetGroups, retried while the group or target group (made just before, by EKS or this
     * apply) is not visible yet; then a wait until the group reports the target group Added or InService.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String group = SpecValues.string(spec, GROUP);
        String arn = SpecValues.string(spec, TARGET_GROUP);
        String id = idOf(group, arn);
        whenPropagated(ctx, "AttachLoadBalancerTargetGroups " + id, this::isGone, () -> {
            attachTargetGroups(group, List.of(arn));
            return Boolean.TRUE;
        });
        return ctx.await(arn + " to be attached to " + group, ATTACH_TIMEOUT, POLL_INTERVAL, () -> {
            String state = states(group).get(arn); // null: not listed yet
            if (DETACHING.contains(state)) {
                throw new ProviderException(ctx.address(), "Auto Scaling group " + group + " reports " + arn + " "
                        + state + " after attaching it: it is being detached");
            }
            return ATTACHED.contains(state) ? Optional.of(toLive(group, arn)) : Optional.empty();
        });
    }

    /** Both attributes force replacement: nothing changes in place. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return readNow(spec, current.id(), id -> readIds(List.of(id)).stream().findFirst());
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String[] key = split(current.id()).orElseThrow(() -> new ProviderException(ctx.address(),
                "not an attachment id (<autoScalingGroupName>|<targetGroupArn>): " + current.id()));
        String group = key[0];
        String arn = key[1];
        if (states(group).get(arn) == null) {
            return;
        }
        ignoreGone(() -> {
            detachTargetGroups(group, List.of(arn));
            return null;
        });
        awaitGone(ctx, arn + " attached to " + group, DETACH_TIMEOUT, POLL_INTERVAL,
                () -> Optional.ofNullable(states(group).get(arn)).filter(state -> !"Removed".equals(state)));
    }
}
