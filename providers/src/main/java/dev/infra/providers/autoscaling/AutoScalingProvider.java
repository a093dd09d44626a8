package dev.infra.providers.autoscaling;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Filter;

/**
 * What the Auto Scaling types share: the client, DescribeAutoScalingGroups, and Auto Scaling's way of saying "gone"
 * (a ValidationError whose message says the group or policy is not found; it has no NotFound codes).
 */
public abstract class AutoScalingProvider extends AwsResourceProvider {

    protected AutoScalingProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final AutoScalingClient autoScaling() {
        return clients().client(AutoScalingClient.class, AutoScalingClient::builder);
    }

    /** The Auto Scaling client for creates: it retries only what AWS did not run (see {@link #createOnce}). */
    protected final AutoScalingClient autoScalingForCreates() {
        return clients().forCreates(AutoScalingClient.class, AutoScalingClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return notFound(e);
    }

    /** Auto Scaling's "not found": NotFound codes, or a ValidationError saying so. */
    static boolean notFound(AwsCallException e) {
        return e.isNotFound() || ("ValidationError".equals(e.code()) && mentions(e, "not found"));
    }

    /** Whether AWS's message contains {@code text}, ignoring case: for errors only told apart by their message. */
    protected static boolean mentions(AwsCallException e, String text) {
        return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    /** One DescribeAutoScalingGroups (all pages) with these filters and, when not empty, these names. */
    protected final List<AutoScalingGroup> describeGroups(List<Filter> filters, Collection<String> names) {
        return call("DescribeAutoScalingGroups", () -> autoScaling().describeAutoScalingGroupsPaginator(b -> b
                .filters(filters.isEmpty() ? null : filters)
                .autoScalingGroupNames(names.isEmpty() ? null : List.copyOf(names))
                .maxRecords(100)).autoScalingGroups().stream().toList());
    }

    /** AttachLoadBalancerTargetGroups: the group's instances, and those it launches later, register with these. */
    protected final void attachTargetGroups(String group, List<String> targetGroupArns) {
        call("AttachLoadBalancerTargetGroups", () -> autoScaling().attachLoadBalancerTargetGroups(
                b -> b.autoScalingGroupName(group).targetGroupARNs(targetGroupArns)));
    }

    /** DetachLoadBalancerTargetGroups: the group's instances deregister from these. */
    protected final void detachTargetGroups(String group, List<String> targetGroupArns) {
        call("DetachLoadBalancerTargetGroups", () -> autoScaling().detachLoadBalancerTargetGroups(
                b -> b.autoScalingGroupName(group).targetGroupARNs(targetGroupArns)));
    }

    /** Whether the group counts as existing: not being deleted. */
    protected static boolean isLive(AutoScalingGroup g) {
        return g.status() == null || !g.status().toLowerCase(Locale.ROOT).startsWith("delete");
    }
}
