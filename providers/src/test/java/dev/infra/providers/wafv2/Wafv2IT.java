package dev.infra.providers.wafv2;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.wafv2.model.Rule;
import software.amazon.awssdk.services.wafv2.model.WebACL;
import software.amazon.awssdk.services.wafv2.model.Wafv2Exception;

/** WAFv2 web ACLs, their associations and logging configurations against the emulator, in eu-south-2. */
class Wafv2IT extends ProviderTestSupport {

    private static final String COMMON = "AWSManagedRulesCommonRuleSet";
    private static final String BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
    private static final String IP_REPUTATION = "AWSManagedRulesAmazonIpReputationList";

    @Override
    protected String region() {
        return "eu-south-2";
    }

    private Wafv2Client waf() {
        return clients.wafv2();
    }

    private WebACL rawAcl(String name, String id) {
        return waf().getWebACL(b -> b.name(name).scope("REGIONAL").id(id)).webACL();
    }

    private Map<String, String> rawTags(String arn) {
        Map<String, String> out = new TreeMap<>();
        waf().listTagsForResource(b -> b.resourceARN(arn)).tagInfoForResource().tagList()
                .forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private static void assertAwsError(Executable call, String code) {
        assertThatThrownBy(call::execute)
                .isInstanceOf(Wafv2Exception.class)
                .satisfies(e -> assertThat(((Wafv2Exception) e).awsErrorDetails().errorCode()).isEqualTo(code));
    }

    private ResourceSpec aclSpec(String address, String name, List<String> groups, long rateLimit,
                                 Map<String, String> userTags) {
        return spec(address, WebAclProvider.TYPE, Map.of("name", name, "scope", "REGIONAL",
                "managedRuleGroups", groups, "rateLimit", rateLimit), userTags);
    }

    private LiveResource webAcl(String address) {
        return new WebAclProvider(clients).create(aclSpec(address, stack + "-acl", List.of(COMMON), 2000, Map.of()),
                ctx(address));
    }

    /** A load balancer to protect, made with raw calls (the emulator would accept any ARN). */
    private String loadBalancerArn() {
        Ec2Client ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.50.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.50.1.0/24").availabilityZone("eu-south-2a"))
                .subnet().subnetId();
        String c = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.50.2.0/24").availabilityZone("eu-south-2b"))
                .subnet().subnetId();
        // Internal: an internet-facing one would need the VPC's internet gateway, which the web ACL does not care about.
        return clients.elbv2().createLoadBalancer(b -> b.name(stack + "-lb").scheme("internal").subnets(a, c))
                .loadBalancers().get(0)
                .loadBalancerArn();
    }

    /** The rule for one managed group: vendor AWS, the group's own actions, metrics and samples on. */
    private static void assertManagedRule(Rule rule, String group, int priority) {
        assertThat(rule.name()).isEqualTo(group);
        assertThat(rule.priority()).isEqualTo(priority);
        assertThat(rule.statement().managedRuleGroupStatement().vendorName()).isEqualTo("AWS");
        assertThat(rule.statement().managedRuleGroupStatement().name()).isEqualTo(group);
        assertThat(rule.overrideAction().none()).isNotNull();
        assertThat(rule.visibilityConfig().cloudWatchMetricsEnabled()).isTrue();
        assertThat(rule.visibilityConfig().sampledRequestsEnabled()).isTrue();
        assertThat(rule.visibilityConfig().metricName()).isEqualTo(group);
    }

    /** The rate-based rule: last, blocks an IP above the limit. */
    private static void assertRateRule(Rule rule, long limit, int priority) {
        assertThat(rule.priority()).isEqualTo(priority);
        assertThat(rule.statement().rateBasedStatement().limit()).isEqualTo(limit);
        assertThat(rule.statement().rateBasedStatement().aggregateKeyTypeAsString()).isEqualTo("IP");
        assertThat(rule.action().block()).isNotNull();
        assertThat(rule.visibilityConfig().cloudWatchMetricsEnabled()).isTrue();
    }

    @Test
    void webAclLifecycle() {
        WebAclProvider acls = new WebAclProvider(clients);
        String address = "edge/waf.main";
        String name = stack + "-main";
        ResourceSpec spec = aclSpec(address, name, List.of(COMMON, BAD_INPUTS), 2000, Map.of("a", "1"));
        assertThat(acls.findExisting(stack, spec)).isEmpty();

        LiveResource created = acls.create(spec, ctx(address));

        WebACL raw = rawAcl(name, created.id());
        assertThat(raw.defaultAction().allow()).isNotNull();
        assertThat(raw.visibilityConfig().metricName()).isEqualTo(name);
        assertThat(raw.rules()).hasSize(3);
        assertManagedRule(raw.rules().get(0), COMMON, 0);
        assertManagedRule(raw.rules().get(1), BAD_INPUTS, 1);
        assertRateRule(raw.rules().get(2), 2000, 2);
        assertThat(rawTags(raw.arn())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", raw.arn());

        ResourceSpec changed = aclSpec(address, name, List.of(BAD_INPUTS, IP_REPUTATION), 500, Map.of("b", "2"));
        LiveResource updated = acls.update(created, changed, Set.of("managedRuleGroups", "rateLimit", "tags"),
                ctx(address));
        raw = rawAcl(name, created.id());
        assertThat(raw.rules()).hasSize(3);
        assertManagedRule(raw.rules().get(0), BAD_INPUTS, 0);
        assertManagedRule(raw.rules().get(1), IP_REPUTATION, 1);
        assertRateRule(raw.rules().get(2), 500, 2);
        assertThat(raw.defaultAction().allow()).isNotNull();
        assertThat(rawTags(raw.arn())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        assertThat(acls.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(updated);
        assertThat(acls.findExisting(stack, changed)).contains(updated);
        assertThatThrownBy(() -> acls.findExisting("other-" + stack, changed))
                .isInstanceOf(ProviderException.class).hasMessageContaining(name);

        acls.delete(updated, ctx(address));
        assertAwsError(() -> rawAcl(name, created.id()), "WAFNonexistentItemException");
        assertThat(acls.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        acls.delete(updated, ctx(address)); // already gone
    }

    /** A create whose answer was lost is retried; the retry's WAFDuplicateItemException adopts what the first made. */
    @Test
    void aRetriedCreateAdoptsTheWebAclItsFirstAttemptMade() {
        String address = "edge/waf.main";
        ResourceSpec spec = aclSpec(address, stack + "-retried", List.of(COMMON), 1000, Map.of());
        LiveResource created;
        try (AwsClients lossy = Emulator.clients(region(), Faults.loseAnswer("CreateWebACL", 1))) {
            created = new WebAclProvider(lossy).create(spec, ctx(address));
        }
        assertThat(waf().listWebACLs(b -> b.scope("REGIONAL").limit(100)).webACLs())
                .filteredOn(acl -> acl.name().equals(stack + "-retried")).singleElement()
                .satisfies(acl -> assertThat(acl.id()).isEqualTo(created.id()));
        assertMatchesSpec(created, spec);
        // What AWS answers a second create of the same name (moto needs moto_launcher.py's patch for the code).
        assertAwsError(() -> waf().createWebACL(b -> b.name(stack + "-retried").scope("REGIONAL")
                .defaultAction(d -> d.allow(x -> { }))
                .visibilityConfig(v -> v.metricName("m").cloudWatchMetricsEnabled(false).sampledRequestsEnabled(false))),
                "WAFDuplicateItemException");
        new WebAclProvider(clients).delete(created, ctx(address));
    }

    /** ListWebACLs once, the tags of every ACL in the region, the rules of the stack's only. */
    @Test
    void readAllListsOnceAndReadsRulesOfTheStackOnly() {
        LiveResource ours = webAcl("edge/waf.main");
        String other = waf().createWebACL(b -> b.name(stack + "-other").scope("REGIONAL")
                .defaultAction(d -> d.allow(x -> { }))
                .visibilityConfig(v -> v.metricName("other").cloudWatchMetricsEnabled(false).sampledRequestsEnabled(false)))
                .summary().id();
        int inRegion = waf().listWebACLs(b -> b.scope("REGIONAL").limit(100)).webACLs().size();

        try (AwsClients counted = Emulator.clients(region())) {
            assertThat(new WebAclProvider(counted).readAll(ReadRequest.of(stack, Set.of(ours.id()))))
                    .containsExactly(ours);
            assertThat(counted.counter().snapshot().get("Wafv2")).isEqualTo(Map.of(
                    "ListWebACLs", 1L, "ListTagsForResource", (long) inRegion, "GetWebACL", 1L));
        }

        new WebAclProvider(clients).delete(ours, ctx("edge/waf.main"));
        String token = waf().getWebACL(b -> b.name(stack + "-other").scope("REGIONAL").id(other)).lockToken();
        waf().deleteWebACL(b -> b.name(stack + "-other").scope("REGIONAL").id(other).lockToken(token));
    }

    @Test
    void associationLifecycle() {
        LiveResource acl = webAcl("edge/waf.main");
        String aclArn = (String) acl.attributes().get("arn");
        String lbArn = loadBalancerArn();
        WebAclAssociationProvider associations = new WebAclAssociationProvider(clients);
        String address = "edge/waf-association.public";
        ResourceSpec spec = untaggedSpec(address, WebAclAssociationProvider.TYPE,
                Map.of("webAclArn", aclArn, "resourceArn", lbArn));
        assertThat(associations.findExisting(stack, spec)).isEmpty();

        LiveResource created = associations.create(spec, ctx(address));

        // The emulator accepts any ARN: what counts is that AWS reports the association back.
        assertThat(waf().getWebACLForResource(b -> b.resourceArn(lbArn)).webACL().arn()).isEqualTo(aclArn);
        assertThat(created.id()).isEqualTo(lbArn);
        assertThat(created.address()).isNull();
        assertMatchesSpec(created, spec);
        assertThat(associations.schema().updatable()).isEmpty();

        assertThat(associations.readAll(ReadRequest.of(stack, Set.of(lbArn)))).containsExactly(created);
        assertThat(associations.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(associations.findExisting(stack, spec)).contains(created);

        associations.delete(created, ctx(address));
        assertThat(waf().getWebACLForResource(b -> b.resourceArn(lbArn)).webACL()).isNull();
        assertThat(associations.readAll(ReadRequest.of(stack, Set.of(lbArn)))).isEmpty();
        associations.delete(created, ctx(address)); // already gone

        new WebAclProvider(clients).delete(acl, ctx("edge/waf.main"));
        clients.elbv2().deleteLoadBalancer(b -> b.loadBalancerArn(lbArn));
    }

    /** AssociateWebACL run twice (a retry whose first attempt ran) leaves one association: one disassociation ends it. */
    @Test
    void aRepeatedAssociationIsOneAssociation() {
        LiveResource acl = webAcl("edge/waf.twice");
        String aclArn = (String) acl.attributes().get("arn");
        String lbArn = loadBalancerArn();
        waf().associateWebACL(b -> b.webACLArn(aclArn).resourceArn(lbArn));
        waf().associateWebACL(b -> b.webACLArn(aclArn).resourceArn(lbArn));

        waf().disassociateWebACL(b -> b.resourceArn(lbArn));

        assertThat(waf().getWebACLForResource(b -> b.resourceArn(lbArn)).webACL()).isNull();
        new WebAclProvider(clients).delete(acl, ctx("edge/waf.twice"));
        clients.elbv2().deleteLoadBalancer(b -> b.loadBalancerArn(lbArn));
    }

    @Test
    void loggingConfigurationLifecycle() {
        LiveResource acl = webAcl("edge/waf.main");
        String aclArn = (String) acl.attributes().get("arn");
        String first = "arn:aws:s3:::aws-waf-logs-" + stack + "-a";
        String second = "arn:aws:s3:::aws-waf-logs-" + stack + "-b";
        LoggingConfigurationProvider logging = new LoggingConfigurationProvider(clients);
        String address = "edge/waf-logging.main";
        ResourceSpec spec = untaggedSpec(address, LoggingConfigurationProvider.TYPE,
                Map.of("webAclArn", aclArn, "logDestination", first));
        assertThat(logging.findExisting(stack, spec)).isEmpty();

        LiveResource created = logging.create(spec, ctx(address));

        assertThat(waf().getLoggingConfiguration(b -> b.resourceArn(aclArn)).loggingConfiguration()
                .logDestinationConfigs()).containsExactly(first);
        assertThat(created.id()).isEqualTo(aclArn);
        assertMatchesSpec(created, spec);

        ResourceSpec changed = untaggedSpec(address, LoggingConfigurationProvider.TYPE,
                Map.of("webAclArn", aclArn, "logDestination", second));
        LiveResource updated = logging.update(created, changed, Set.of("logDestination"), ctx(address));
        assertThat(waf().getLoggingConfiguration(b -> b.resourceArn(aclArn)).loggingConfiguration()
                .logDestinationConfigs()).containsExactly(second);
        assertMatchesSpec(updated, changed);

        try (AwsClients counted = Emulator.clients(region())) {
            assertThat(new LoggingConfigurationProvider(counted).readAll(ReadRequest.of(stack, Set.of(aclArn))))
                    .containsExactly(updated);
            assertThat(counted.counter().snapshot().get("Wafv2")).isEqualTo(Map.of("ListLoggingConfigurations", 1L));
        }
        assertThat(logging.findExisting(stack, changed)).contains(updated);

        logging.delete(updated, ctx(address));
        assertAwsError(() -> waf().getLoggingConfiguration(b -> b.resourceArn(aclArn)), "WAFNonexistentItemException");
        logging.delete(updated, ctx(address)); // already gone

        new WebAclProvider(clients).delete(acl, ctx("edge/waf.main"));
    }
}
