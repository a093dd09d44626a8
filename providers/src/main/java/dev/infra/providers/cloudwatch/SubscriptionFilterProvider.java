package dev.infra.providers.cloudwatch;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;

/**
 * {@code aws_cloudwatch_log_subscription_filter} (id: {@code <logGroupName>:<name>}; group names hold no colon):
 * logGroupName F, name F, filterPattern A ("" = every event), destinationArn A (a Firehose delivery stream, say),
 * roleArn A (the role CloudWatch Logs delivers with); no tags.
 *
 * <p>PutSubscriptionFilter creates and replaces (so a repeat after a lost answer is harmless); CloudWatch Logs sends a
 * test message on it and refuses (InvalidParameterException) while the destination is not active or the role not yet
 * usable, which is retried for a while. Read: DescribeSubscriptionFilters of the group with the name as prefix; delete:
 * DeleteSubscriptionFilter. A group that is gone takes its filters along.
 */
public final class SubscriptionFilterProvider extends LogsPutProvider {

    public static final String TYPE = "aws_cloudwatch_log_subscription_filter";
    static final String GROUP = "logGroupName";
    static final String NAME = "name";
    static final String PATTERN = "filterPattern";
    static final String DESTINATION = "destinationArn";
    static final String ROLE = "roleArn";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(GROUP, Kind.REFERENCE),
            Attribute.required(NAME, Kind.STRING),
            Attribute.required(PATTERN, Kind.STRING).updatable().doc("\"\" = every event"),
            Attribute.required(DESTINATION, Kind.REFERENCE).updatable().doc("e.g. a Firehose stream's ARN"),
            Attribute.required(ROLE, Kind.REFERENCE).updatable())
            .id("`<logGroupName>:<name>`")
            .notes("No tags; create and update = PutSubscriptionFilter (InvalidParameterException, the test message failing while the stream or role is new, retried for a while); readAll = DescribeSubscriptionFilters per id; delete = DeleteSubscriptionFilter");

    public SubscriptionFilterProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    private Optional<LiveResource> read(String id) {
        int colon = id.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String group = id.substring(0, colon);
        String name = id.substring(colon + 1);
        return ProviderSupport.unless(this::isGone, () -> call("DescribeSubscriptionFilters", () -> logs()
                .describeSubscriptionFilters(b -> b.logGroupName(group).filterNamePrefix(name)).subscriptionFilters())
                .stream().filter(f -> name.equals(f.filterName())).findFirst().map(this::toLive));
    }

    private LiveResource toLive(SubscriptionFilter f) {
        Map<String, Object> a = new TreeMap<>();
        a.put(GROUP, f.logGroupName());
        a.put(NAME, f.filterName());
        a.put(PATTERN, f.filterPattern() == null ? "" : f.filterPattern());
        putIfPresent(a, DESTINATION, f.destinationArn());
        putIfPresent(a, ROLE, f.roleArn());
        return live(f.logGroupName() + ":" + f.filterName(), Map.of(), a);
    }

    @Override
    protected String noun() {
        return "subscription filter";
    }

    /** The id: {@code <logGroupName>:<name>}. */
    @Override
    protected String nameOf(ResourceSpec spec) {
        return SpecValues.string(spec, GROUP) + ":" + SpecValues.string(spec, NAME);
    }

    @Override
    protected Optional<LiveResource> read(ResourceSpec spec) {
        return read(nameOf(spec));
    }

    @Override
    protected void put(ResourceSpec spec, OperationContext ctx) {
        whenPropagated(ctx, "PutSubscriptionFilter " + nameOf(spec), e -> "InvalidParameterException".equals(e.code()),
                () -> call("PutSubscriptionFilter", () -> logs().putSubscriptionFilter(b -> b
                        .logGroupName(SpecValues.string(spec, GROUP))
                        .filterName(SpecValues.string(spec, NAME))
                        .filterPattern(SpecValues.optionalString(spec, PATTERN) == null ? ""
                                : SpecValues.optionalString(spec, PATTERN))
                        .destinationArn(SpecValues.string(spec, DESTINATION))
                        .roleArn(SpecValues.optionalString(spec, ROLE)))));
    }

    @Override
    protected void remove(LiveResource current) {
        int colon = current.id().indexOf(':');
        call("DeleteSubscriptionFilter", () -> logs().deleteSubscriptionFilter(b -> b
                .logGroupName(current.id().substring(0, colon)).filterName(current.id().substring(colon + 1))));
    }

    @Override
    protected Optional<LiveResource> reread(LiveResource current) {
        return read(current.id());
    }
}
