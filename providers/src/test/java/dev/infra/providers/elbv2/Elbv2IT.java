package dev.infra.providers.elbv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.iam.IamClient;

/** Load balancers, target groups and listeners against the emulator, in me-south-1. */
class Elbv2IT extends ProviderTestSupport {

    private ElasticLoadBalancingV2Client elb;
    private String vpcId;
    private final List<String> subnets = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();

    @Override
    protected String region() {
        return "me-south-1";
    }

    /** A VPC with a subnet in each of three zones and two security groups, made with raw calls. */
    @BeforeAll
    void network() {
        elb = clients.elbv2();
        Ec2Client ec2 = clients.ec2();
        vpcId = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        // Internet-facing load balancers need it (CreateLoadBalancer: InvalidSubnet "VPC … has no internet gateway").
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpcId));
        for (String zone : List.of("a", "b", "c")) {
            int i = subnets.size();
            subnets.add(ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock("10.40." + i + ".0/24")
                    .availabilityZone(region() + zone)).subnet().subnetId());
        }
        for (String name : List.of("lb-a", "lb-b")) {
            groups.add(ec2.createSecurityGroup(b -> b.vpcId(vpcId).groupName(name).description(name)).groupId());
        }
    }

    // ---- raw reads: what AWS says -------------------------------------------------------------------

    private LoadBalancer rawLb(String arn) {
        return elb.describeLoadBalancers(b -> b.loadBalancerArns(arn)).loadBalancers().get(0);
    }

    private TargetGroup rawTg(String arn) {
        return elb.describeTargetGroups(b -> b.targetGroupArns(arn)).targetGroups().get(0);
    }

    private Listener rawListener(String arn) {
        return elb.describeListeners(b -> b.listenerArns(arn)).listeners().get(0);
    }

    /** The load balancer's access_logs.s3.* attributes, as AWS reports them. */
    private Map<String, String> rawAccessLogs(String arn) {
        Map<String, String> out = new TreeMap<>();
        elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(arn)).attributes().stream()
                .filter(a -> a.key().startsWith("access_logs.s3.")).forEach(a -> out.put(a.key(), a.value()));
        return out;
    }

    /** The network interfaces with this description, as EC2 reports them. */
    private List<software.amazon.awssdk.services.ec2.model.NetworkInterface> rawInterfaces(String description) {
        return clients.ec2().describeNetworkInterfaces(b -> b.filters(f -> f.name("description").values(description)))
                .networkInterfaces();
    }

    private Map<String, String> rawTags(String arn) {
        Map<String, String> out = new TreeMap<>();
        elb.describeTags(b -> b.resourceArns(arn)).tagDescriptions().get(0).tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private static void assertAwsError(Executable call, String code) {
        assertThatThrownBy(call::execute)
                .isInstanceOf(ElasticLoadBalancingV2Exception.class)
                .satisfies(e -> assertThat(((ElasticLoadBalancingV2Exception) e).awsErrorDetails().errorCode()).isEqualTo(code));
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    // ---- specs ----------------------------------------------------------------------------------------

    private ResourceSpec lbSpec(String address, String name, List<String> subnetIds, List<String> groupIds,
                                Map<String, String> userTags) {
        return lbSpec(address, name, subnetIds, groupIds, null, null, userTags);
    }

    /** With access logs to {@code logsBucket} under {@code logsPrefix} (both optional). */
    private ResourceSpec lbSpec(String address, String name, List<String> subnetIds, List<String> groupIds,
                                String logsBucket, String logsPrefix, Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>(Map.of("name", name, "scheme", "internet-facing",
                "type", "application", "subnetIds", subnetIds, "securityGroupIds", groupIds));
        if (logsBucket != null) {
            a.put("accessLogsBucket", logsBucket);
        }
        if (logsPrefix != null) {
            a.put("accessLogsPrefix", logsPrefix);
        }
        return spec(address, LoadBalancerProvider.TYPE, a, userTags);
    }

    private ResourceSpec tgSpec(String address, String name, String healthCheckPath, Map<String, String> userTags) {
        return spec(address, TargetGroupProvider.TYPE, Map.of("name", name, "port", 30080, "protocol", "HTTP",
                "vpcId", vpcId, "targetType", "instance", "healthCheckPath", healthCheckPath), userTags);
    }

    private ResourceSpec listenerSpec(String address, String lbArn, long port, String protocol, String certificateArn,
                                      Map<String, Object> defaultAction, Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>(Map.of("loadBalancerArn", lbArn, "port", port, "protocol", protocol,
                "defaultAction", defaultAction));
        if (certificateArn != null) {
            a.put("certificateArn", certificateArn);
        }
        return spec(address, ListenerProvider.TYPE, a, userTags);
    }

    private LiveResource loadBalancer(String address, String name) {
        return new LoadBalancerProvider(clients).create(lbSpec(address, name, subnets.subList(0, 2), groups.subList(0, 1),
                Map.of()), ctx(address));
    }

    private String serverCertificate(String name) {
        IamClient iam = clients.client(IamClient.class, IamClient::builder);
        return iam.uploadServerCertificate(b -> b.serverCertificateName(name)
                .certificateBody("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")
                .privateKey("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----"))
                .serverCertificateMetadata().arn();
    }

    // ---- tests ----------------------------------------------------------------------------------------

    @Test
    void loadBalancerLifecycle() {
        LoadBalancerProvider lbs = new LoadBalancerProvider(clients);
        String address = "edge/lb.public";
        String name = stack + "-public";
        // Sets: the provider reads them back sorted, as the planner compares them regardless of order.
        String logs = stack + "-lb-logs";
        clients.s3().createBucket(b -> b.bucket(logs).createBucketConfiguration(c -> c.locationConstraint(region())));
        ResourceSpec spec = lbSpec(address, name, sorted(subnets.subList(0, 2)), List.of(groups.get(0)), logs, "public",
                Map.of("team", "web"));
        assertThat(lbs.findExisting(stack, spec)).isEmpty();

        LiveResource created = lbs.create(spec, ctx(address));

        LoadBalancer raw = rawLb(created.id());
        assertThat(raw.loadBalancerName()).isEqualTo(name);
        assertThat(raw.schemeAsString()).isEqualTo("internet-facing");
        assertThat(raw.typeAsString()).isEqualTo("application");
        assertThat(raw.state().code()).isEqualTo(LoadBalancerStateEnum.ACTIVE);
        assertThat(raw.availabilityZones()).extracting(AvailabilityZone::subnetId)
                .containsExactlyInAnyOrder(subnets.get(0), subnets.get(1));
        assertThat(raw.securityGroups()).containsExactly(groups.get(0));
        assertThat(rawTags(created.id())).isEqualTo(spec.tags());
        assertThat(rawAccessLogs(created.id())).containsEntry("access_logs.s3.enabled", "true")
                .containsEntry("access_logs.s3.bucket", logs).containsEntry("access_logs.s3.prefix", "public");
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("dnsName", raw.dnsName())
                .containsEntry("canonicalHostedZoneId", raw.canonicalHostedZoneId());
        assertThat(raw.dnsName()).isNotBlank();
        // CloudWatch's LoadBalancer dimension: the ARN after ":loadbalancer/", e.g. app/<name>/<id>.
        assertThat(created.attributes().get("arnSuffix")).asString().matches("app/" + name + "/[0-9a-f]+");
        assertThat(raw.loadBalancerArn()).endsWith(":loadbalancer/" + created.attributes().get("arnSuffix"));
        assertThat(lbs.schema().unordered()).containsExactlyInAnyOrder("subnetIds", "securityGroupIds");

        // Another prefix, then access logs off again.
        ResourceSpec otherPrefix = lbSpec(address, name, sorted(subnets.subList(0, 2)), List.of(groups.get(0)), logs,
                "edge", Map.of("team", "web"));
        assertMatchesSpec(lbs.update(created, otherPrefix, Set.of("accessLogsPrefix"), ctx(address)), otherPrefix);
        assertThat(rawAccessLogs(created.id())).containsEntry("access_logs.s3.enabled", "true")
                .containsEntry("access_logs.s3.bucket", logs).containsEntry("access_logs.s3.prefix", "edge");

        ResourceSpec changed = lbSpec(address, name, sorted(subnets), sorted(groups), Map.of("team", "edge"));
        LiveResource updated = lbs.update(created, changed, Set.of("subnetIds", "securityGroupIds", "tags",
                "accessLogsBucket", "accessLogsPrefix"), ctx(address));
        assertThat(rawAccessLogs(created.id())).containsEntry("access_logs.s3.enabled", "false");
        assertThat(updated.attributes()).doesNotContainKeys("accessLogsBucket", "accessLogsPrefix");
        raw = rawLb(created.id());
        assertThat(raw.availabilityZones()).extracting(AvailabilityZone::subnetId).containsExactlyInAnyOrderElementsOf(subnets);
        assertThat(raw.securityGroups()).containsExactlyInAnyOrder(groups.get(0), groups.get(1));
        assertThat(rawTags(created.id())).isEqualTo(changed.tags());
        assertThat(updated.id()).isEqualTo(created.id());
        assertMatchesSpec(updated, changed);

        assertThat(lbs.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(updated);
        assertThat(lbs.findExisting(stack, changed)).contains(updated);
        // The name belongs to this stack's edge/lb.public: another address or stack may not take it.
        assertThatThrownBy(() -> lbs.findExisting("other-" + stack, changed))
                .isInstanceOf(ProviderException.class).hasMessageContaining(name).hasMessageContaining(address);

        String eniDescription = "ELB " + created.attributes().get("arnSuffix");
        assertThat(rawInterfaces(eniDescription)).as("its ENIs").isNotEmpty();
        lbs.delete(updated, ctx(address));
        assertAwsError(() -> rawLb(created.id()), "LoadBalancerNotFound");
        // AWS releases them a while after the delete (the emulator 5 s later): the delete waited, so its subnets can go.
        assertThat(rawInterfaces(eniDescription)).isEmpty();
        assertThat(lbs.findExisting(stack, changed)).isEmpty();
        assertThat(lbs.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        lbs.delete(updated, ctx(address)); // already gone
    }

    /** The emulator makes a second load balancer for a second create with the same name; findExisting prevents it. */
    @Test
    void aLoadBalancerIsFoundByNameBeforeCreating() {
        LoadBalancerProvider lbs = new LoadBalancerProvider(clients);
        String address = "edge/lb.internal";
        ResourceSpec spec = lbSpec(address, stack + "-internal", subnets.subList(0, 2), groups.subList(0, 1), Map.of());
        LiveResource created = lbs.create(spec, ctx(address));

        assertThat(lbs.findExisting(stack, spec)).contains(created);
        assertThat(elb.describeLoadBalancers(b -> b.names(stack + "-internal")).loadBalancers()).hasSize(1);

        lbs.delete(created, ctx(address));
    }

    /** A lost CreateLoadBalancer answer is not retried blindly (the emulator would make a second): found by name. */
    @Test
    void aLoadBalancerWhoseAnswerWasLostIsMadeOnce() {
        String address = "edge/lb.lost";
        ResourceSpec spec = lbSpec(address, stack + "-lost", subnets.subList(0, 2), groups.subList(0, 1), Map.of());
        try (AwsClients lossy = Emulator.clients(region(), Faults.loseAnswer("CreateLoadBalancer", 1))) {
            LiveResource created = new LoadBalancerProvider(lossy).create(spec, ctx(address));

            assertThat(lossy.counter().count("ElasticLoadBalancingV2", "CreateLoadBalancer")).isEqualTo(1);
            assertThat(elb.describeLoadBalancers(b -> b.names(stack + "-lost")).loadBalancers())
                    .extracting(LoadBalancer::loadBalancerArn).containsExactly(created.id());
            new LoadBalancerProvider(clients).delete(created, ctx(address));
        }
    }

    /**
     * The answer lost and the look for what it made missing it (not visible yet): the second create's
     * DuplicateTargetGroupName means the first made it, and that group, tagged for this address, is adopted.
     */
    @Test
    void aTargetGroupAlreadyThereAfterALostAnswerIsAdopted() {
        String address = "edge/tg.lost";
        String name = stack + "-lost";
        try (AwsClients lossy = Emulator.clients(region(), Faults.loseAnswer("CreateTargetGroup", 1),
                Faults.awsError("DescribeTargetGroups", 1, 400, "TargetGroupNotFound"))) {
            LiveResource created = new TargetGroupProvider(lossy).create(tgSpec(address, name, "/healthz", Map.of()),
                    ctx(address));

            assertThat(lossy.counter().count("ElasticLoadBalancingV2", "CreateTargetGroup")).isEqualTo(2);
            assertThat(elb.describeTargetGroups(b -> b.names(name)).targetGroups())
                    .extracting(TargetGroup::targetGroupArn).containsExactly(created.id());
            new TargetGroupProvider(clients).delete(created, ctx(address));
        }
    }

    /** "Already exists" after a lost answer is not adopted when the group is another stack's: it names the owner. */
    @Test
    void aTargetGroupOfAnotherStackIsNotAdoptedAfterALostAnswer() {
        String name = stack + "-taken";
        LiveResource theirs = new TargetGroupProvider(clients).create(
                spec("other-stack", "edge/tg.theirs", TargetGroupProvider.TYPE, tgSpec("x", name, "/healthz", Map.of())
                        .attributes(), Map.of()), ctx("theirs"));
        try (AwsClients flaky = Emulator.clients(region(), Faults.awsError("CreateTargetGroup", 1, 500, "InternalError"))) {
            assertThatThrownBy(() -> new TargetGroupProvider(flaky).create(tgSpec("edge/tg.ours", name, "/healthz",
                    Map.of()), ctx("ours")))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("edge/tg.ours: aws_lb_target_group " + name
                            + " already exists and belongs to edge/tg.theirs of stack other-stack");
        }
        new TargetGroupProvider(clients).delete(theirs, ctx("theirs"));
    }

    @Test
    void targetGroupLifecycle() {
        TargetGroupProvider tgs = new TargetGroupProvider(clients);
        String address = "edge/tg.ingress";
        String name = stack + "-ingress";
        ResourceSpec spec = tgSpec(address, name, "/healthz", Map.of("a", "1"));

        LiveResource created = tgs.create(spec, ctx(address));

        TargetGroup raw = rawTg(created.id());
        assertThat(raw.targetGroupName()).isEqualTo(name);
        assertThat(raw.port()).isEqualTo(30080);
        assertThat(raw.protocolAsString()).isEqualTo("HTTP");
        assertThat(raw.vpcId()).isEqualTo(vpcId);
        assertThat(raw.targetTypeAsString()).isEqualTo("instance");
        assertThat(raw.healthCheckPath()).isEqualTo("/healthz");
        assertThat(rawTags(created.id())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        ResourceSpec changed = tgSpec(address, name, "/ready", Map.of("b", "2"));
        LiveResource updated = tgs.update(created, changed, Set.of("healthCheckPath", "tags"), ctx(address));
        assertThat(rawTg(created.id()).healthCheckPath()).isEqualTo("/ready");
        assertThat(rawTags(created.id())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        assertThat(tgs.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(updated);
        assertThat(tgs.findExisting(stack, changed)).contains(updated);

        tgs.delete(updated, ctx(address));
        assertAwsError(() -> rawTg(created.id()), "TargetGroupNotFound");
        tgs.delete(updated, ctx(address));
    }

    /**
     * What ELB refuses for a while after what it names was made (the emulator answers at once; the refusals are
     * scripted): access logs to a bucket whose new policy is not in effect yet, a listener on a certificate ELB does not
     * see yet, on create and on change. Each is retried until it goes through.
     */
    @Test
    void refusalsOfWhatWasJustMadeAreRetried() {
        String logs = stack + "-late-logs";
        clients.s3().createBucket(b -> b.bucket(logs).createBucketConfiguration(c -> c.locationConstraint(region())));
        try (AwsClients late = Emulator.clients(region(),
                Faults.awsError("ModifyLoadBalancerAttributes", 2, 400, "InvalidConfigurationRequest",
                        "Access Denied for bucket: " + logs + ". Please check S3bucket permission"),
                Faults.awsError("CreateListener", 2, 400, "CertificateNotFound", "Certificate '…' not found"),
                Faults.awsError("ModifyListener", 2, 400, "CertificateNotFound", "Certificate '…' not found"))) {
            String address = "edge/lb.late";
            LoadBalancerProvider lbs = new LoadBalancerProvider(late);
            LiveResource lb = lbs.create(lbSpec(address, stack + "-late", subnets.subList(0, 2), groups.subList(0, 1),
                    logs, "late", Map.of()), SleepingOperationContext.pretending(address));
            assertThat(rawAccessLogs(lb.id())).containsEntry("access_logs.s3.bucket", logs);

            ListenerProvider listeners = new ListenerProvider(late);
            Map<String, Object> fixed = Map.of("type", "redirect", "port", "443", "protocol", "HTTPS");
            String https = "edge/listener.late";
            LiveResource listener = listeners.create(listenerSpec(https, lb.id(), 443, "HTTPS",
                    serverCertificate(stack + "-late-1"), fixed, Map.of()), SleepingOperationContext.pretending(https));
            String renewed = serverCertificate(stack + "-late-2");
            listeners.update(listener, listenerSpec(https, lb.id(), 443, "HTTPS", renewed, fixed, Map.of()),
                    Set.of("certificateArn"), SleepingOperationContext.pretending(https));
            assertThat(rawListener(listener.id()).certificates().get(0).certificateArn()).isEqualTo(renewed);

            listeners.delete(listener, ctx(https));
            lbs.delete(lb, ctx(address));
        }
    }

    @Test
    void listenerLifecycle() {
        LiveResource lb = loadBalancer("edge/lb.public", stack + "-l");
        TargetGroupProvider tgs = new TargetGroupProvider(clients);
        LiveResource tg = tgs.create(tgSpec("edge/tg.ingress", stack + "-tg", "/healthz", Map.of()), ctx("tg"));
        String cert1 = serverCertificate(stack + "-one");
        String cert2 = serverCertificate(stack + "-two");
        ListenerProvider listeners = new ListenerProvider(clients);

        String httpAddress = "edge/listener.http";
        Map<String, Object> redirect = Map.of("type", "redirect", "port", "443", "protocol", "HTTPS");
        ResourceSpec http = listenerSpec(httpAddress, lb.id(), 80, "HTTP", null, redirect, Map.of("a", "1"));
        String httpsAddress = "edge/listener.https";
        Map<String, Object> forward = Map.of("type", "forward", "targetGroupArn", tg.id());
        ResourceSpec https = listenerSpec(httpsAddress, lb.id(), 443, "HTTPS", cert1, forward, Map.of());

        LiveResource httpListener = listeners.create(http, ctx(httpAddress));
        LiveResource httpsListener = listeners.create(https, ctx(httpsAddress));

        Listener raw = rawListener(httpListener.id());
        assertThat(raw.loadBalancerArn()).isEqualTo(lb.id());
        assertThat(raw.port()).isEqualTo(80);
        assertThat(raw.protocolAsString()).isEqualTo("HTTP");
        assertThat(raw.certificates()).isEmpty();
        Action action = raw.defaultActions().get(0);
        assertThat(action.typeAsString()).isEqualTo("redirect");
        assertThat(action.redirectConfig().port()).isEqualTo("443");
        assertThat(action.redirectConfig().protocol()).isEqualTo("HTTPS");
        assertThat(action.redirectConfig().statusCode()).isEqualTo(RedirectActionStatusCodeEnum.HTTP_301);
        assertThat(rawTags(httpListener.id())).isEqualTo(http.tags());
        assertMatchesSpec(httpListener, http);
        assertThat(httpListener.attributes()).doesNotContainKey("certificateArn");

        raw = rawListener(httpsListener.id());
        assertThat(raw.protocolAsString()).isEqualTo("HTTPS");
        assertThat(raw.certificates().get(0).certificateArn()).isEqualTo(cert1);
        assertThat(raw.defaultActions().get(0).typeAsString()).isEqualTo("forward");
        assertThat(raw.defaultActions().get(0).targetGroupArn()).isEqualTo(tg.id());
        assertMatchesSpec(httpsListener, https);

        // defaultAction and tags of one, the certificate of the other change in place.
        ResourceSpec httpForward = listenerSpec(httpAddress, lb.id(), 80, "HTTP", null, forward, Map.of("b", "2"));
        LiveResource httpUpdated = listeners.update(httpListener, httpForward, Set.of("defaultAction", "tags"),
                ctx(httpAddress));
        raw = rawListener(httpListener.id());
        assertThat(raw.defaultActions().get(0).typeAsString()).isEqualTo("forward");
        assertThat(raw.defaultActions().get(0).targetGroupArn()).isEqualTo(tg.id());
        assertThat(rawTags(httpListener.id())).isEqualTo(httpForward.tags());
        assertMatchesSpec(httpUpdated, httpForward);

        ResourceSpec httpsRenewed = listenerSpec(httpsAddress, lb.id(), 443, "HTTPS", cert2, forward, Map.of());
        LiveResource httpsUpdated = listeners.update(httpsListener, httpsRenewed, Set.of("certificateArn"),
                ctx(httpsAddress));
        assertThat(rawListener(httpsListener.id()).certificates().get(0).certificateArn()).isEqualTo(cert2);
        assertMatchesSpec(httpsUpdated, httpsRenewed);

        assertThat(listeners.readAll(ReadRequest.of(stack, Set.of())))
                .containsExactlyInAnyOrder(httpUpdated, httpsUpdated);
        assertThat(listeners.findExisting(stack, httpForward)).contains(httpUpdated);
        assertThat(listeners.findExisting(stack, httpsRenewed)).contains(httpsUpdated);

        listeners.delete(httpUpdated, ctx(httpAddress));
        listeners.delete(httpsUpdated, ctx(httpsAddress));
        assertAwsError(() -> rawListener(httpListener.id()), "ListenerNotFound");
        assertAwsError(() -> rawListener(httpsListener.id()), "ListenerNotFound");
        listeners.delete(httpUpdated, ctx(httpAddress));
        assertThat(listeners.readAll(ReadRequest.of(stack, Set.of(httpListener.id())))).isEmpty();

        tgs.delete(tg, ctx("tg"));
        new LoadBalancerProvider(clients).delete(lb, ctx("lb"));
        // Its load balancer gone, a listener reads as gone too.
        assertThat(listeners.findExisting(stack, httpForward)).isEmpty();
    }

    /**
     * readAll reads every load balancer of the region once, then their tags 20 ARNs a DescribeTags call, then the
     * attributes (access logs) of each of the stack's; listeners cost one DescribeListeners per load balancer of the
     * stack on top.
     */
    @Test
    void readAllReadsTagsTwentyArnsACall() {
        List<String> ours = new ArrayList<>();
        List<String> ourListeners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LiveResource lb = loadBalancer("edge/lb.n" + i, stack + "-n" + i);
            ours.add(lb.id());
            ourListeners.add(new ListenerProvider(clients).create(listenerSpec("edge/listener.n" + i, lb.id(), 80, "HTTP",
                    null, Map.of("type", "redirect", "port", "443", "protocol", "HTTPS"), Map.of()), ctx("l" + i)).id());
        }
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            others.add(elb.createLoadBalancer(b -> b.name(stack + "-x" + n).subnets(subnets.subList(0, 2)))
                    .loadBalancers().get(0).loadBalancerArn());
        }
        int inRegion = elb.describeLoadBalancers(b -> b.pageSize(400)).loadBalancers().size();
        long tagCalls = (inRegion + 19) / 20;

        try (AwsClients counted = Emulator.clients(region())) {
            assertThat(new LoadBalancerProvider(counted).readAll(ReadRequest.of(stack, Set.copyOf(ours))))
                    .extracting(LiveResource::id).containsExactlyInAnyOrderElementsOf(ours);
            assertThat(counted.counter().snapshot().get("ElasticLoadBalancingV2"))
                    .isEqualTo(Map.of("DescribeLoadBalancers", 1L, "DescribeTags", tagCalls,
                            "DescribeLoadBalancerAttributes", 3L));

            counted.counter().reset();
            assertThat(new ListenerProvider(counted).readAll(ReadRequest.of(stack, Set.copyOf(ourListeners))))
                    .extracting(LiveResource::id).containsExactlyInAnyOrderElementsOf(ourListeners);
            assertThat(counted.counter().snapshot().get("ElasticLoadBalancingV2")).isEqualTo(Map.of(
                    "DescribeLoadBalancers", 1L, "DescribeTags", tagCalls + 1, "DescribeListeners", 3L));

            // An id from state outside the stack costs one Describe, one DescribeTags and its attributes more.
            counted.counter().reset();
            assertThat(new LoadBalancerProvider(counted).readAll(ReadRequest.of(stack, Set.of(ours.get(0), others.get(0)))))
                    .extracting(LiveResource::id).containsExactlyInAnyOrder(ours.get(0), ours.get(1), ours.get(2),
                            others.get(0));
            assertThat(counted.counter().snapshot().get("ElasticLoadBalancingV2"))
                    .isEqualTo(Map.of("DescribeLoadBalancers", 2L, "DescribeTags", tagCalls + 1,
                            "DescribeLoadBalancerAttributes", 4L));
        }

        others.forEach(arn -> elb.deleteLoadBalancer(b -> b.loadBalancerArn(arn)));
        ours.forEach(arn -> elb.deleteLoadBalancer(b -> b.loadBalancerArn(arn)));
    }
}
