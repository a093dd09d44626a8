package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CreateFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.FlowLog;

/**
 * VPC flow logs to an S3 folder, Parquet, hourly (moto_launcher.py's patch_ec2_flow_log_s3_destination): raw SDK calls
 * show the folder taken and DestinationOptions reported, a missing bucket in Unsuccessful and an unknown file format
 * refused; then the provider's create, read by stack, and delete.
 */
class FlowLogIT extends Ec2TestBase {

    @Override
    protected String region() {
        return "ca-central-1";
    }

    private String bucket() {
        String name = stack + "-flow-logs";
        clients.s3().createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(region())));
        return name;
    }

    @Test
    void aFolderOfAnExistingBucketTakesParquetHourlyLogs() {
        String vpc = vpc("network/vpc", "10.40.0.0/16").id();
        String bucket = bucket();
        CreateFlowLogsResponse r = ec2.createFlowLogs(b -> b.resourceType("VPC").resourceIds(vpc).trafficType("ALL")
                .logDestinationType("s3").logDestination("arn:aws:s3:::" + bucket + "/vpc-flow-logs/")
                .destinationOptions(o -> o.fileFormat("parquet").perHourPartition(true)));
        assertThat(r.unsuccessful()).isEmpty();
        FlowLog f = ec2.describeFlowLogs(b -> b.flowLogIds(r.flowLogIds())).flowLogs().get(0);
        assertThat(f.logDestination()).isEqualTo("arn:aws:s3:::" + bucket + "/vpc-flow-logs/");
        assertThat(f.destinationOptions().fileFormatAsString()).isEqualTo("parquet");
        assertThat(f.destinationOptions().perHourPartition()).isTrue();
        assertThat(f.destinationOptions().hiveCompatiblePartitions()).isFalse();

        CreateFlowLogsResponse missing = ec2.createFlowLogs(b -> b.resourceType("VPC").resourceIds(vpc).trafficType("ALL")
                .logDestinationType("s3").logDestination("arn:aws:s3:::" + stack + "-missing/vpc-flow-logs/"));
        assertThat(missing.flowLogIds()).isEmpty();
        assertThat(missing.unsuccessful()).singleElement().satisfies(u -> assertThat(u.resourceId()).isEqualTo(vpc));
        assertAwsError(() -> ec2.createFlowLogs(b -> b.resourceType("VPC").resourceIds(vpc).trafficType("ALL")
                .logDestinationType("s3").logDestination("arn:aws:s3:::" + bucket + "/csv/")
                .destinationOptions(o -> o.fileFormat("csv"))), "InvalidParameter");
    }

    @Test
    void theProviderMakesReadsAndDeletesAFlowLog() {
        String vpc = vpc("network/vpc", "10.41.0.0/16").id();
        String bucket = bucket();
        FlowLogProvider provider = new FlowLogProvider(clients);
        ResourceSpec spec = spec("monitoring/flow-log", FlowLogProvider.TYPE, Map.of("resourceId", vpc,
                "trafficType", "ALL", "logDestinationType", "s3",
                "logDestination", "arn:aws:s3:::" + bucket + "/vpc-flow-logs/", "maxAggregationInterval", 600L,
                "destinationOptions", Map.of("fileFormat", "parquet", "hiveCompatiblePartitions", false,
                        "perHourPartition", true)), Map.of());
        LiveResource made = provider.create(spec, ctx(spec.address()));
        assertMatchesSpec(made, spec);
        assertThat(provider.readAll(new ReadRequest(stack, Set.of()))).extracting(LiveResource::id).containsExactly(made.id());
        assertThat(ec2.describeFlowLogs(b -> b.flowLogIds(made.id())).flowLogs().get(0).tags())
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("infra:address=monitoring/flow-log"));

        ResourceSpec nowhere = spec("monitoring/flow-log-2", FlowLogProvider.TYPE, Map.of("resourceId", vpc,
                "trafficType", "ALL", "logDestinationType", "s3", "logDestination", "arn:aws:s3:::" + stack + "-missing/",
                "maxAggregationInterval", 600L), Map.of());
        assertThatThrownBy(() -> provider.create(nowhere, ctx(nowhere.address()))).isInstanceOf(ProviderException.class)
                .hasMessageContaining("CreateFlowLogs refused");

        provider.delete(made, ctx(spec.address()));
        assertThat(ec2.describeFlowLogs(b -> { }).flowLogs()).extracting(FlowLog::flowLogId).doesNotContain(made.id());
    }
}
