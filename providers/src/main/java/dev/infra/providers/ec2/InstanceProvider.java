package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@code aws_instance}: launchTemplateId, subnetId, instanceType, tags; computed privateIp, launchTemplateVersion (the
 * version number AWS launched it from, as a string). Launched from the template's default version; the instance
 * carries the spec's tags, its volumes the same minus {@code infra:address}. Create waits for {@code running}, delete
 * (TerminateInstances) for {@code terminated}. Instances shutting down or terminated count as absent, and so do
 * instances an Auto Scaling group launched (they belong to the group, even when they carry the stack's tags).
 */
public final class InstanceProvider extends Ec2Provider<Instance> {

    public static final String TYPE = "aws_instance";
    /** Tags AWS puts on instances launched from a template or by an Auto Scaling group. */
    static final String TEMPLATE_ID_TAG = "aws:ec2launchtemplate:id";
    static final String TEMPLATE_VERSION_TAG = "aws:ec2launchtemplate:version";
    static final String AUTO_SCALING_GROUP_TAG = "aws:autoscaling:groupName";
    static final Duration RUNNING_TIMEOUT = Duration.ofMinutes(10);
    static final Duration TERMINATED_TIMEOUT = Duration.ofMinutes(10);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    private static final List<String> LIVE_STATES = List.of(InstanceStateName.PENDING.toString(),
            InstanceStateName.RUNNING.toString(), InstanceStateName.STOPPING.toString(), InstanceStateName.STOPPED.toString());

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required("instanceType", Kind.STRING),
            Attribute.required("launchTemplateId", Kind.REFERENCE),
            Attribute.required("subnetId", Kind.REFERENCE),
            Attribute.computed("launchTemplateVersion", Kind.STRING),
            Attribute.computed("privateIp", Kind.STRING))
            .with(Trait.TAGGED)
            .id("i-…");

    public InstanceProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.INSTANCE, "InvalidInstanceID.NotFound", Instance::instanceId, Instance::tags);
    }

    /** Lookups by tag leave out terminated instances (AWS lists them for about an hour); lookups by id keep them. */
    @Override
    protected List<Instance> describe(List<Filter> filters, Collection<String> ids) {
        List<Filter> all = new ArrayList<>(filters);
        if (!filters.isEmpty()) {
            all.add(filter("instance-state-name", LIVE_STATES.toArray(String[]::new)));
        }
        return call("DescribeInstances", () -> ec2().describeInstancesPaginator(
                        b -> b.filters(filtersOrNull(all)).instanceIds(idsOrNull(ids)))
                .reservations().stream()
                .map(Reservation::instances)
                .flatMap(List::stream)
                .toList());
    }

    @Override
    protected boolean isLive(Instance instance) {
        return !ended(instance) && systemTag(instance, AUTO_SCALING_GROUP_TAG).isEmpty();
    }

    private static boolean ended(Instance instance) {
        InstanceStateName s = instance.state() == null ? null : instance.state().name();
        return s == InstanceStateName.SHUTTING_DOWN || s == InstanceStateName.TERMINATED;
    }

    @Override
    protected Map<String, Object> attributesOf(Instance instance) {
        Map<String, Object> a = new TreeMap<>();
        putIfPresent(a, "subnetId", instance.subnetId());
        putIfPresent(a, "instanceType", instance.instanceTypeAsString());
        putIfPresent(a, "privateIp", instance.privateIpAddress());
        systemTag(instance, TEMPLATE_ID_TAG).ifPresent(v -> a.put("launchTemplateId", v));
        systemTag(instance, TEMPLATE_VERSION_TAG).ifPresent(v -> a.put("launchTemplateVersion", v));
        return a;
    }

    private static Optional<String> systemTag(Instance instance, String key) {
        return instance.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
    }

    /**
     * An instance profile made just before (in the launch template) may not be visible to EC2 yet: RunInstances then
     * answers InvalidParameterValue "Invalid IAM Instance Profile", which is retried.
     */
    @Override
    protected boolean notYet(AwsCallException e) {
        return "InvalidParameterValue".equals(e.code()) && String.valueOf(e.getMessage()).contains("nstance Profile");
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        LaunchTemplateSpecification template = LaunchTemplateSpecification.builder()
                .launchTemplateId(SpecValues.string(spec, "launchTemplateId"))
                .version(LaunchTemplateProvider.DEFAULT_VERSION)
                .build();
        String subnetId = SpecValues.string(spec, "subnetId");
        String instanceType = SpecValues.string(spec, "instanceType");
        TagSpecification volumeTags = tagSpecification(ResourceType.VOLUME, launchedTags(spec.tags()));
        List<Instance> launched = call("RunInstances", () -> once.runInstances(b -> b
                .launchTemplate(template)
                .subnetId(subnetId)
                .instanceType(instanceType)
                .minCount(1)
                .maxCount(1)
                .clientToken(clientToken)
                .tagSpecifications(tags, volumeTags))).instances();
        if (launched.size() != 1) {
            throw new ProviderException(spec.address(), "expected AWS to launch one instance, got " + launched.size());
        }
        return launched.get(0).instanceId();
    }

    /**
     * Waits until {@code running}; an instance that ends instead fails the create with AWS's reason. Then drops the
     * tags the launch template added (EC2 merges them with RunInstances' own), so the instance has the spec's tags.
     */
    @Override
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
        Instance running = ctx.await(id + " to be running", RUNNING_TIMEOUT, POLL_INTERVAL, () -> {
            Optional<Instance> instance = describeOne(id);
            if (instance.isPresent() && ended(instance.get())) {
                Instance i = instance.get();
                throw new ProviderException(spec.address(), "instance " + id + " is " + i.state().nameAsString()
                        + (i.stateReason() == null ? "" : ": " + i.stateReason().code() + ": " + i.stateReason().message()));
            }
            return instance.filter(i -> i.state().name() == InstanceStateName.RUNNING);
        });
        updateTags(id, tagMap(running.tags()), spec.tags());
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        Optional<Instance> instance = describeOne(id);
        if (instance.isEmpty() || instance.get().state().name() == InstanceStateName.TERMINATED) {
            return;
        }
        call("TerminateInstances", () -> ec2().terminateInstances(b -> b.instanceIds(id)));
        ctx.await(id + " to be terminated", TERMINATED_TIMEOUT, POLL_INTERVAL, () -> {
            Optional<Instance> now = describeOne(id);
            return now.isEmpty() || now.get().state().name() == InstanceStateName.TERMINATED
                    ? Optional.of(Boolean.TRUE) : Optional.empty();
        });
    }
}
