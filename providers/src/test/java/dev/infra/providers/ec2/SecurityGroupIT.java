package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/** Security groups and their rules as separate resources (sgr-…). */
class SecurityGroupIT extends Ec2TestBase {

    private LiveResource vpc;

    @Override
    protected String region() {
        return "ap-southeast-2";
    }

    @BeforeEach
    void network() {
        vpc = vpc("network/vpc.main", "10.2.0.0/16");
    }

    private SecurityGroup rawGroup(String id) {
        return ec2.describeSecurityGroups(b -> b.groupIds(id)).securityGroups().get(0);
    }

    private SecurityGroupRule rawRule(String id) {
        return ec2.describeSecurityGroupRules(b -> b.securityGroupRuleIds(id)).securityGroupRules().get(0);
    }

    private List<SecurityGroupRule> rawRulesOf(String groupId) {
        return ec2.describeSecurityGroupRules(b -> b.filters(Ec2Provider.filter("group-id", groupId))).securityGroupRules();
    }

    @Test
    void securityGroupLifecycle() {
        SecurityGroupProvider groups = new SecurityGroupProvider(clients);
        String address = "app/sg.web";
        Map<String, Object> attributes = Map.of("vpcId", vpc.id(), "groupName", "web", "description", "web servers");
        ResourceSpec spec = spec(address, SecurityGroupProvider.TYPE, attributes, Map.of("a", "1"));

        LiveResource created = groups.create(spec, ctx(address));

        assertThat(created.id()).startsWith("sg-");
        SecurityGroup raw = rawGroup(created.id());
        assertThat(raw.groupName()).isEqualTo("web");
        assertThat(raw.description()).isEqualTo("web servers");
        assertThat(raw.vpcId()).isEqualTo(vpc.id());
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        // AWS's default allow-all egress rule stays, unmanaged.
        assertThat(rawRulesOf(created.id())).singleElement()
                .satisfies(r -> assertThat(r.isEgress() + " " + r.ipProtocol() + " " + r.cidrIpv4()).isEqualTo("true -1 0.0.0.0/0"));

        ResourceSpec changed = spec(address, SecurityGroupProvider.TYPE, attributes, Map.of("b", "2"));
        LiveResource updated = groups.update(created, changed, Set.of("tags"), ctx(address));
        assertThat(tagMap(rawGroup(created.id()).tags())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        assertThat(groups.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(updated);
        assertThat(groups.findExisting(stack, changed)).contains(updated);

        groups.delete(updated, ctx(address));
        assertAwsError(() -> rawGroup(created.id()), "InvalidGroup.NotFound");
        groups.delete(updated, ctx(address));
    }

    @Test
    void ruleLifecycle() {
        LiveResource web = securityGroup("app/sg.web", vpc.id(), "web");
        LiveResource db = securityGroup("app/sg.db", vpc.id(), "db");
        SecurityGroupRuleProvider rules = new SecurityGroupRuleProvider(clients);

        String httpsAddress = "app/sgr.web-https";
        ResourceSpec https = spec(httpsAddress, SecurityGroupRuleProvider.TYPE, Map.of("securityGroupId", web.id(),
                "direction", "ingress", "protocol", "tcp", "fromPort", 443L, "toPort", 443,
                "cidrIpv4", "0.0.0.0/0", "description", "HTTPS from anywhere"), Map.of("a", "1"));
        String toDbAddress = "app/sgr.web-to-db";
        ResourceSpec toDb = spec(toDbAddress, SecurityGroupRuleProvider.TYPE, Map.of("securityGroupId", web.id(),
                "direction", "egress", "protocol", "tcp", "fromPort", 5432L, "toPort", 5432L,
                "referencedGroupId", db.id(), "description", "PostgreSQL"), Map.of());
        String pingAddress = "app/sgr.db-ping";
        ResourceSpec ping = spec(pingAddress, SecurityGroupRuleProvider.TYPE, Map.of("securityGroupId", db.id(),
                "direction", "ingress", "protocol", "icmp", "fromPort", 8L, "toPort", 0L, "cidrIpv4", "10.2.0.0/16"),
                Map.of());

        LiveResource httpsRule = rules.create(https, ctx(httpsAddress));
        LiveResource toDbRule = rules.create(toDb, ctx(toDbAddress));
        LiveResource pingRule = rules.create(ping, ctx(pingAddress));

        assertThat(httpsRule.id()).startsWith("sgr-");
        SecurityGroupRule raw = rawRule(httpsRule.id());
        assertThat(raw.groupId()).isEqualTo(web.id());
        assertThat(raw.isEgress()).isFalse();
        assertThat(raw.ipProtocol()).isEqualTo("tcp");
        assertThat(raw.fromPort()).isEqualTo(443);
        assertThat(raw.toPort()).isEqualTo(443);
        assertThat(raw.cidrIpv4()).isEqualTo("0.0.0.0/0");
        assertThat(raw.description()).isEqualTo("HTTPS from anywhere");
        assertThat(tagMap(raw.tags())).isEqualTo(https.tags());
        assertMatchesSpec(httpsRule, https);

        raw = rawRule(toDbRule.id());
        assertThat(raw.isEgress()).isTrue();
        assertThat(raw.referencedGroupInfo().groupId()).isEqualTo(db.id());
        // Reported by AWS for group-referencing rules too (moto needs moto_launcher.py's patch for this).
        assertThat(raw.description()).isEqualTo("PostgreSQL");
        assertMatchesSpec(toDbRule, toDb);
        assertThat(toDbRule.attributes()).doesNotContainKey("cidrIpv4");

        assertMatchesSpec(pingRule, ping);
        assertThat(pingRule.attributes()).doesNotContainKey("description");

        Map<String, Object> httpsAttributes = new TreeMap<>(https.attributes());
        httpsAttributes.remove("tags");
        ResourceSpec retagged = spec(httpsAddress, SecurityGroupRuleProvider.TYPE, httpsAttributes, Map.of("b", "2"));
        LiveResource updated = rules.update(httpsRule, retagged, Set.of("tags"), ctx(httpsAddress));
        assertThat(updated.id()).isEqualTo(httpsRule.id());
        assertThat(tagMap(rawRule(httpsRule.id()).tags())).isEqualTo(retagged.tags());
        assertMatchesSpec(updated, retagged);

        // Only the tool's rules: not the default egress rules AWS added to both groups.
        assertThat(rules.readAll(ReadRequest.of(stack, Set.of())))
                .containsExactlyInAnyOrder(updated, toDbRule, pingRule);
        assertThat(rules.findExisting(stack, toDb)).contains(toDbRule);
        assertThat(rules.findExisting(stack, retagged)).contains(updated);

        rules.delete(updated, ctx(httpsAddress));
        rules.delete(toDbRule, ctx(toDbAddress));
        rules.delete(pingRule, ctx(pingAddress));
        assertAwsError(() -> rawRule(httpsRule.id()), "InvalidSecurityGroupRuleId.NotFound");
        assertAwsError(() -> rawRule(toDbRule.id()), "InvalidSecurityGroupRuleId.NotFound");
        assertThat(rawRulesOf(web.id())).extracting(SecurityGroupRule::cidrIpv4).containsExactly("0.0.0.0/0");
        assertThat(rawRulesOf(db.id())).extracting(SecurityGroupRule::cidrIpv4).containsExactly("0.0.0.0/0");
        rules.delete(updated, ctx(httpsAddress)); // already gone

        SecurityGroupProvider groups = new SecurityGroupProvider(clients);
        groups.delete(web, ctx("app/sg.web"));
        groups.delete(db, ctx("app/sg.db"));
        rules.delete(pingRule, ctx(pingAddress)); // its group is gone too
    }

    @Test
    void ruleCreateIsOneCall() {
        LiveResource web = securityGroup("app/sg.calls", vpc.id(), "calls");
        String address = "app/sgr.calls-http";
        ResourceSpec http = spec(address, SecurityGroupRuleProvider.TYPE, Map.of("securityGroupId", web.id(),
                "direction", "ingress", "protocol", "tcp", "fromPort", 80L, "toPort", 80L, "cidrIpv4", "10.2.0.0/16",
                "description", "HTTP inside"), Map.of("a", "1"));
        try (AwsClients counted = Emulator.clients(region())) {
            LiveResource rule = new SecurityGroupRuleProvider(counted).create(http, ctx(address));

            // AuthorizeSecurityGroupIngress answers with the rule: no DescribeSecurityGroupRules reads it back.
            assertThat(counted.counter().snapshot()).isEqualTo(Map.of("Ec2", Map.of("AuthorizeSecurityGroupIngress", 1L)));
            assertThat(new SecurityGroupRuleProvider(clients).readAll(ReadRequest.of(stack, Set.of(rule.id()))))
                    .as("what the create answered is what AWS describes").contains(rule);
            assertMatchesSpec(rule, http);
        }
    }
}
