package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.DestinationOptionsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FlowLog;
import software.amazon.awssdk.services.ec2.model.FlowLogsResourceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@code aws_flow_log} (id: fl-…): resourceId F (the VPC), trafficType F (ACCEPT, REJECT, ALL), logDestinationType F
 * ({@code s3}), logDestination F (the bucket's ARN, with a folder: {@code arn:aws:s3:::bucket/folder/}),
 * maxAggregationInterval F (Long, 60 or 600 s), destinationOptions F ({fileFormat: plain-text | parquet,
 * hiveCompatiblePartitions, perHourPartition}), tags.
 *
 * <p>EC2 has no call that changes a flow log, so every setting forces replacement. CreateFlowLogs reports a refused
 * resource in {@code Unsuccessful} rather than as an error (the bucket missing, say): that is a failure here. It takes
 * a client token, and the flow log is tagged at creation (TagSpecifications, {@code vpc-flow-log}).
 */
public final class FlowLogProvider extends Ec2Provider<FlowLog> {

    public static final String TYPE = "aws_flow_log";
    static final String RESOURCE_ID = "resourceId";
    static final String TRAFFIC_TYPE = "trafficType";
    static final String DESTINATION_TYPE = "logDestinationType";
    static final String DESTINATION = "logDestination";
    static final String INTERVAL = "maxAggregationInterval";
    static final String OPTIONS = "destinationOptions";
    static final String FILE_FORMAT = "fileFormat";
    static final String HIVE = "hiveCompatiblePartitions";
    static final String PER_HOUR = "perHourPartition";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. EC2 changes no flow log: all force replacement. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required(RESOURCE_ID, Kind.REFERENCE).doc("the VPC"),
            Attribute.required(TRAFFIC_TYPE, Kind.STRING).rule(Rule.OneOf.of("traffic type", "ALL", "ACCEPT", "REJECT")),
            Attribute.required(DESTINATION_TYPE, Kind.STRING).rule(Rule.OneOf.of("destination type", "s3")),
            Attribute.required(DESTINATION, Kind.STRING)
                    .doc("bucket ARN with a folder, `arn:aws:s3:::<bucket>/<folder>/`"),
            Attribute.required(INTERVAL, Kind.NUMBER).rule(Rule.OneOf.of("aggregation interval in seconds", "60", "600")),
            Attribute.required(OPTIONS, Kind.MAP)
                    .doc("{fileFormat: plain-text | parquet, hiveCompatiblePartitions, perHourPartition}"))
            .with(Trait.TAGGED)
            .id("fl-…")
            .notes("Tags through TagSpecifications `vpc-flow-log`. CreateFlowLogs' `Unsuccessful` (a missing bucket) is a failure; client token per create");

    public FlowLogProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.VPC_FLOW_LOG, "InvalidFlowLogId.NotFound", FlowLog::flowLogId, FlowLog::tags);
    }

    @Override
    protected List<FlowLog> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeFlowLogs", () -> ec2().describeFlowLogsPaginator(
                b -> b.filter(filtersOrNull(filters)).flowLogIds(idsOrNull(ids))).flowLogs().stream().toList());
    }

    @Override
    protected Map<String, Object> attributesOf(FlowLog f) {
        Map<String, Object> a = new TreeMap<>();
        putIfPresent(a, RESOURCE_ID, f.resourceId());
        putIfPresent(a, TRAFFIC_TYPE, f.trafficTypeAsString());
        putIfPresent(a, DESTINATION_TYPE, f.logDestinationTypeAsString());
        putIfPresent(a, DESTINATION, f.logDestination());
        putIfPresent(a, INTERVAL, toLong(f.maxAggregationInterval()));
        DestinationOptionsResponse o = f.destinationOptions();
        if (o != null) {
            Map<String, Object> options = new TreeMap<>();
            putIfPresent(options, FILE_FORMAT, o.fileFormatAsString());
            putIfPresent(options, HIVE, o.hiveCompatiblePartitions());
            putIfPresent(options, PER_HOUR, o.perHourPartition());
            a.put(OPTIONS, options);
        }
        return a;
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        Map<?, ?> options = spec.attributes().get(OPTIONS) instanceof Map<?, ?> m ? m : Map.of();
        CreateFlowLogsResponse r = call("CreateFlowLogs", () -> once.createFlowLogs(b -> b
                .resourceType(FlowLogsResourceType.VPC)
                .resourceIds(SpecValues.string(spec, RESOURCE_ID))
                .trafficType(SpecValues.string(spec, TRAFFIC_TYPE))
                .logDestinationType(SpecValues.string(spec, DESTINATION_TYPE))
                .logDestination(SpecValues.string(spec, DESTINATION))
                .maxAggregationInterval((int) SpecValues.number(spec, INTERVAL))
                .destinationOptions(o -> o
                        .fileFormat(options.get(FILE_FORMAT) instanceof String f ? f : null)
                        .hiveCompatiblePartitions(options.get(HIVE) instanceof Boolean h ? h : null)
                        .perHourPartition(options.get(PER_HOUR) instanceof Boolean p ? p : null))
                .tagSpecifications(tags)
                .clientToken(clientToken)));
        if (!r.unsuccessful().isEmpty() || r.flowLogIds().isEmpty()) {
            throw new ProviderException(spec.address(), "CreateFlowLogs refused the flow log: " + r.unsuccessful().stream()
                    .map(u -> u.resourceId() + ": " + (u.error() == null ? "?" : u.error().message())).toList());
        }
        return r.flowLogIds().get(0);
    }

    /** DeleteFlowLogs reports an unknown id in {@code Unsuccessful}: already gone. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        call("DeleteFlowLogs", () -> ec2().deleteFlowLogs(b -> b.flowLogIds(current.id())));
        awaitGone(ctx, "flow log " + current.id(), () -> describeOne(current.id()));
    }
}
