package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;

class VpcSubnetIT extends Ec2TestBase {

    @Override
    protected String region() {
        return "us-west-2";
    }

    private boolean rawDns(String vpcId, VpcAttributeName name) {
        var r = ec2.describeVpcAttribute(b -> b.vpcId(vpcId).attribute(name));
        return name == VpcAttributeName.ENABLE_DNS_SUPPORT ? r.enableDnsSupport().value() : r.enableDnsHostnames().value();
    }

    @Test
    void vpcLifecycle() {
        VpcProvider vpcs = new VpcProvider(clients);
        String address = "network/vpc.main";
        ResourceSpec spec = spec(address, VpcProvider.TYPE,
                Map.of("cidrBlock", "10.10.0.0/16", "enableDnsSupport", true, "enableDnsHostnames", true),
                Map.of("team", "platform", "retired", "soon"));

        LiveResource created = vpcs.create(spec, ctx(address));

        assertThat(created.id()).startsWith("vpc-");
        Vpc raw = ec2.describeVpcs(b -> b.vpcIds(created.id())).vpcs().get(0);
        assertThat(raw.cidrBlock()).isEqualTo("10.10.0.0/16");
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertThat(rawDns(created.id(), VpcAttributeName.ENABLE_DNS_HOSTNAMES)).isTrue();
        assertThat(rawDns(created.id(), VpcAttributeName.ENABLE_DNS_SUPPORT)).isTrue();
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("ownerId", raw.ownerId());

        ResourceSpec changed = spec(address, VpcProvider.TYPE,
                Map.of("cidrBlock", "10.10.0.0/16", "enableDnsSupport", false, "enableDnsHostnames", false),
                Map.of("team", "network", "added", "yes"));
        LiveResource updated = vpcs.update(created, changed,
                Set.of("tags", "enableDnsSupport", "enableDnsHostnames"), ctx(address));

        raw = ec2.describeVpcs(b -> b.vpcIds(created.id())).vpcs().get(0);
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertThat(rawDns(created.id(), VpcAttributeName.ENABLE_DNS_HOSTNAMES)).isFalse();
        assertThat(rawDns(created.id(), VpcAttributeName.ENABLE_DNS_SUPPORT)).isFalse();
        assertMatchesSpec(updated, changed);

        List<LiveResource> all = vpcs.readAll(ReadRequest.of(stack, Set.of()));
        assertThat(all).containsExactly(updated);
        assertThat(vpcs.findExisting(stack, changed)).contains(updated);
        assertThat(vpcs.findExisting("some-other-stack", changed)).isEmpty();

        vpcs.delete(updated, ctx(address));
        assertAwsError(() -> ec2.describeVpcs(b -> b.vpcIds(created.id())), "InvalidVpcID.NotFound");
        assertThat(vpcs.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        vpcs.delete(updated, ctx(address)); // already gone: fine
    }

    @Test
    void subnetLifecycle() {
        LiveResource vpc = vpc("network/vpc.main", "10.20.0.0/16");
        SubnetProvider subnets = new SubnetProvider(clients);
        String address = "network/subnet.public-a";
        ResourceSpec spec = spec(address, SubnetProvider.TYPE, Map.of("vpcId", vpc.id(), "cidrBlock", "10.20.1.0/24",
                "availabilityZone", "us-west-2a", "mapPublicIpOnLaunch", false), Map.of("tier", "public"));

        LiveResource created = subnets.create(spec, ctx(address));

        assertThat(created.id()).startsWith("subnet-");
        Subnet raw = ec2.describeSubnets(b -> b.subnetIds(created.id())).subnets().get(0);
        assertThat(raw.vpcId()).isEqualTo(vpc.id());
        assertThat(raw.cidrBlock()).isEqualTo("10.20.1.0/24");
        assertThat(raw.availabilityZone()).isEqualTo("us-west-2a");
        assertThat(raw.mapPublicIpOnLaunch()).isFalse();
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        ResourceSpec changed = spec(address, SubnetProvider.TYPE, Map.of("vpcId", vpc.id(), "cidrBlock", "10.20.1.0/24",
                "availabilityZone", "us-west-2a", "mapPublicIpOnLaunch", true), Map.of("tier", "edge"));
        LiveResource updated = subnets.update(created, changed, Set.of("tags", "mapPublicIpOnLaunch"), ctx(address));

        raw = ec2.describeSubnets(b -> b.subnetIds(created.id())).subnets().get(0);
        assertThat(raw.mapPublicIpOnLaunch()).isTrue();
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        assertThat(subnets.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(updated);
        assertThat(subnets.findExisting(stack, changed)).contains(updated);

        subnets.delete(updated, ctx(address));
        assertAwsError(() -> ec2.describeSubnets(b -> b.subnetIds(created.id())), "InvalidSubnetID.NotFound");
        subnets.delete(updated, ctx(address));
        new VpcProvider(clients).delete(vpc, ctx("network/vpc.main"));
    }

    @Test
    void readAllFindsUntaggedIdsAndSkipsGoneOnes() {
        VpcProvider vpcs = new VpcProvider(clients);
        LiveResource kept = vpc("network/vpc.kept", "10.30.0.0/16");
        LiveResource untagged = vpc("network/vpc.untagged", "10.31.0.0/16");
        LiveResource gone = vpc("network/vpc.gone", "10.32.0.0/16");
        ec2.deleteTags(b -> b.resources(untagged.id()).tags(Tag.builder().key("infra:stack").build()));
        vpcs.delete(gone, ctx("network/vpc.gone"));

        // The batch by ids fails on the gone one (InvalidVpcID.NotFound); the provider then asks one by one.
        List<LiveResource> all = vpcs.readAll(ReadRequest.of(stack, Set.of(kept.id(), untagged.id(), gone.id())));

        assertThat(all).extracting(LiveResource::id).containsExactlyInAnyOrder(kept.id(), untagged.id());
        assertThat(all).filteredOn(r -> r.id().equals(untagged.id())).singleElement()
                .satisfies(r -> assertThat(r.address()).isEqualTo("network/vpc.untagged"));
        vpcs.delete(kept, ctx("kept"));
        vpcs.delete(untagged, ctx("untagged"));
    }

    @Test
    void vpcDeleteWaitsWhileDependenciesRemain() throws Exception {
        VpcProvider vpcs = new VpcProvider(clients);
        LiveResource vpc = vpc("network/vpc.busy", "10.40.0.0/16");
        LiveResource subnet = subnet("network/subnet.busy", vpc.id(), "10.40.1.0/24", "us-west-2b");
        SleepingOperationContext ctx = ctx("network/vpc.busy");

        CompletableFuture<Void> deleting = CompletableFuture.runAsync(() -> vpcs.delete(vpc, ctx));
        Thread.sleep(1500);
        assertThat(deleting).isNotDone();
        ec2.deleteSubnet(b -> b.subnetId(subnet.id()));
        deleting.get(30, TimeUnit.SECONDS);

        assertThat(ctx.sleeps()).isPositive();
        assertAwsError(() -> ec2.describeVpcs(b -> b.vpcIds(vpc.id())), "InvalidVpcID.NotFound");
    }

    /** A VPC something outside the stack still uses fails, after the DependencyViolation window, naming what uses it. */
    @Test
    void aVpcStillInUseFailsNamingWhatUsesItAndHowToSeeIt() {
        VpcProvider vpcs = new VpcProvider(clients);
        LiveResource vpc = vpc("network/vpc.held", "10.41.0.0/16");
        String theirs = ec2.createSubnet(b -> b.vpcId(vpc.id()).cidrBlock("10.41.1.0/24").availabilityZone("us-west-2a"))
                .subnet().subnetId();
        String eni = ec2.createNetworkInterface(b -> b.subnetId(theirs).description("aws-K8S-i-0123 (a controller's)"))
                .networkInterface().networkInterfaceId();
        String group = ec2.createSecurityGroup(b -> b.vpcId(vpc.id()).groupName("guardduty-agent").description("GuardDuty"))
                .groupId();

        assertThatThrownBy(() -> vpcs.delete(vpc, SleepingOperationContext.pretending("network/vpc.held")))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("VPC " + vpc.id() + " cannot be deleted: still in use by")
                .hasMessageContaining(eni + " (aws-K8S-i-0123 (a controller's))")
                .hasMessageContaining(theirs)
                .hasMessageContaining(group + " (guardduty-agent)")
                .hasMessageContaining("aws ec2 describe-network-interfaces --region us-west-2 --filters Name=vpc-id,Values="
                        + vpc.id());

        ec2.deleteNetworkInterface(b -> b.networkInterfaceId(eni));
        ec2.deleteSubnet(b -> b.subnetId(theirs));
        ec2.deleteSecurityGroup(b -> b.groupId(group));
        vpcs.delete(vpc, ctx("network/vpc.held"));
        assertAwsError(() -> ec2.describeVpcs(b -> b.vpcIds(vpc.id())), "InvalidVpcID.NotFound");
    }

    @Test
    void createRetriesCallsThatDoNotYetSeeTheNewResource() {
        // EC2 is eventually consistent: right after CreateVpc, ModifyVpcAttribute may answer InvalidVpcID.NotFound.
        try (AwsClients flaky = Emulator.clients(region(),
                Faults.awsError("ModifyVpcAttribute", 2, 400, "InvalidVpcID.NotFound"))) {
            VpcProvider vpcs = new VpcProvider(flaky);
            String address = "network/vpc.eventual";
            ResourceSpec spec = spec(address, VpcProvider.TYPE,
                    Map.of("cidrBlock", "10.50.0.0/16", "enableDnsHostnames", true), Map.of());
            SleepingOperationContext ctx = ctx(address);

            LiveResource created = vpcs.create(spec, ctx);

            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThat(rawDns(created.id(), VpcAttributeName.ENABLE_DNS_HOSTNAMES)).isTrue();
            vpcs.delete(created, ctx);
        }
    }

    @Test
    void createThatTookEffectDespiteAServerErrorIsAdoptedNotRepeated() {
        // The proxy case: AWS made the VPC, but the answer came back as a 500. A blind retry would make a second one.
        try (AwsClients flaky = Emulator.clients(region(), Faults.loseAnswer("CreateVpc", 1))) {
            String address = "network/vpc.lost-answer";
            ResourceSpec spec = spec(address, VpcProvider.TYPE, Map.of("cidrBlock", "10.70.0.0/16"), Map.of());

            LiveResource created = new VpcProvider(flaky).create(spec, ctx(address));

            assertThat(flaky.counter().count("Ec2", "CreateVpc")).isEqualTo(1);
            assertThat(ec2.describeVpcs(b -> b.filters(Ec2Provider.filter("tag:infra:address", address))).vpcs())
                    .extracting(Vpc::vpcId).containsExactly(created.id());
            new VpcProvider(flaky).delete(created, ctx(address));
        }
    }

    @Test
    void createThatNeverReachedAwsIsTriedAgain() {
        LiveResource vpc = vpc("network/vpc.main", "10.80.0.0/16");
        try (AwsClients flaky = Emulator.clients(region(), Faults.connectionReset("CreateSubnet", 1))) {
            String address = "network/subnet.retried";
            ResourceSpec spec = spec(address, SubnetProvider.TYPE, Map.of("vpcId", vpc.id(), "cidrBlock", "10.80.1.0/24",
                    "availabilityZone", "us-west-2a"), Map.of());
            SleepingOperationContext ctx = ctx(address);

            LiveResource created = new SubnetProvider(flaky).create(spec, ctx);

            assertThat(flaky.counter().count("Ec2", "CreateSubnet")).isEqualTo(2);
            assertThat(ctx.sleeps()).isEqualTo(1);
            assertThat(ec2.describeSubnets(b -> b.filters(Ec2Provider.filter("vpc-id", vpc.id()))).subnets())
                    .extracting(Subnet::subnetId).containsExactly(created.id());
        }
    }

    /** Throttling means AWS did not run the call: the create client retries it by itself, and nothing is looked up. */
    @Test
    void aThrottledCreateIsRetried() {
        try (AwsClients throttled = Emulator.clients(region(), Faults.awsError("CreateVpc", 1, 503, "RequestLimitExceeded"))) {
            String address = "network/vpc.throttled";
            SleepingOperationContext ctx = ctx(address);

            LiveResource created = new VpcProvider(throttled).create(
                    spec(address, VpcProvider.TYPE, Map.of("cidrBlock", "10.71.0.0/16"), Map.of()), ctx);

            assertThat(throttled.counter().count("Ec2", "CreateVpc")).isEqualTo(1);
            assertThat(ctx.sleeps()).isZero();
            assertThat(ec2.describeVpcs(b -> b.filters(Ec2Provider.filter("tag:infra:address", address))).vpcs())
                    .extracting(Vpc::vpcId).containsExactly(created.id());
            new VpcProvider(throttled).delete(created, ctx);
        }
    }

    /** A 500 on a create may mean it ran: no SDK retry; a look for what it made, then (nothing there) a second call. */
    @Test
    void aServerErrorOnACreateIsNotRetriedBlindly() {
        LiveResource vpc = vpc("network/vpc.five-hundred", "10.72.0.0/16");
        try (AwsClients flaky = Emulator.clients(region(), Faults.awsError("CreateSubnet", 1, 500, "InternalError"))) {
            String address = "network/subnet.five-hundred";
            SleepingOperationContext ctx = ctx(address);

            LiveResource created = new SubnetProvider(flaky).create(spec(address, SubnetProvider.TYPE, Map.of("vpcId",
                    vpc.id(), "cidrBlock", "10.72.1.0/24", "availabilityZone", "us-west-2a"), Map.of()), ctx);

            assertThat(flaky.counter().count("Ec2", "CreateSubnet")).isEqualTo(2);
            assertThat(flaky.counter().count("Ec2", "DescribeSubnets")).isGreaterThanOrEqualTo(1);
            assertThat(ctx.sleeps()).isEqualTo(1);
            assertThat(ec2.describeSubnets(b -> b.filters(Ec2Provider.filter("vpc-id", vpc.id()))).subnets())
                    .extracting(Subnet::subnetId).containsExactly(created.id());
        }
    }

    /** A read may run twice: the SDK retries its 500 by itself. */
    @Test
    void aServerErrorOnAReadIsRetried() {
        LiveResource vpc = vpc("network/vpc.read", "10.73.0.0/16");
        try (AwsClients flaky = Emulator.clients(region(), Faults.awsError("DescribeVpcs", 1, 500, "InternalError"))) {
            assertThat(new VpcProvider(flaky).readAll(ReadRequest.of(stack, Set.of()))).extracting(LiveResource::id)
                    .contains(vpc.id());
            assertThat(flaky.counter().count("Ec2", "DescribeVpcs")).isEqualTo(1);
        }
    }

    @Test
    void awsErrorsNameTheAddressAndAwsReason() {
        SubnetProvider subnets = new SubnetProvider(clients);
        String address = "network/subnet.orphan";
        ResourceSpec spec = spec(address, SubnetProvider.TYPE, Map.of("vpcId", "vpc-0123456789abcdef0",
                "cidrBlock", "10.60.1.0/24", "availabilityZone", "us-west-2a"), Map.of());

        assertThatThrownBy(() -> subnets.create(spec, ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith(address + ": CreateSubnet failed: InvalidVpcID.NotFound");
    }
}
