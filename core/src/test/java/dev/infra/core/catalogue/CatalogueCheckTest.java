package dev.infra.core.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the catalogue refuses of a spec, and how derived names are fitted to a rule. */
class CatalogueCheckTest {

    static final SourceLocation AT = SourceLocation.of("infra.yaml", 7, 5);
    static final ResourceType LB = ResourceType.of("aws_lb",
            Attribute.required("name", Kind.STRING).rule(AwsRules.LOAD_BALANCER),
            Attribute.required("scheme", Kind.STRING).rule(Rule.OneOf.of("scheme", "internet-facing", "internal")),
            Attribute.required("subnetIds", Kind.SET).updatable(),
            Attribute.optional("idleTimeout", Kind.NUMBER).updatable().rule(new Rule.Range("idle timeout", 1, 4000)),
            Attribute.computed("dnsName", Kind.STRING)).with(Trait.TAGGED);
    static final Catalogue CATALOGUE = Catalogue.of(List.of(LB));

    static List<String> problems(Map<String, Object> attributes) {
        return CATALOGUE.problems(List.of(ResourceSpec.of("load-balancer.internal/alb", "aws_lb", attributes, AT)))
                .stream().map(Diagnostic::render).toList();
    }

    static Map<String, Object> valid() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", "shop-internal");
        a.put("scheme", "internal");
        a.put("subnetIds", List.of(Ref.id("network/subnet.private-a")));
        a.put("tags", Map.of("Name", "shop-internal"));
        return a;
    }

    @Test
    void aSpecThatKeepsItsEntryHasNoProblem() {
        assertThat(problems(valid())).isEmpty();
    }

    @Test
    void everyProblemOfASpecComesOutAtItsOriginAndKey() {
        Map<String, Object> a = valid();
        a.put("name", "payments-platform-production-eu-internal");
        a.put("scheme", "private");
        a.remove("subnetIds");
        a.put("idleTimeout", "60");
        a.put("sheme", "internal");
        a.put("dnsName", "x");
        String at = "infra.yaml:7:5: error: loadBalancers.internal: ";
        String what = "load-balancer.internal/alb (aws_lb): ";
        assertThat(problems(a)).containsExactlyInAnyOrder(
                at + "the load balancer name 'payments-platform-production-eu-internal' is 40 characters; AWS allows 32",
                at + "the scheme 'private' is not one AWS takes: internet-facing, internal",
                at + what + "idleTimeout is a Number, not String 60",
                at + what + "aws_lb has no attribute 'sheme'; did you mean 'scheme'?",
                at + what + "dnsName is set by AWS, not by a spec",
                at + what + "subnetIds is required");
    }

    @Test
    void textRulesSayWhatAwsRefuses() {
        assertThat(AwsRules.LOAD_BALANCER.problem("internal-shop")).contains(
                "the load balancer name 'internal-shop' must not begin with 'internal-'");
        assertThat(AwsRules.REPLICATION_GROUP.problem("shop--sessions")).contains(
                "the replication group id 'shop--sessions' must not hold two adjacent hyphens");
        assertThat(AwsRules.SECURITY_GROUP_DESCRIPTION.problem("Teleport's ports")).hasValueSatisfying(p ->
                assertThat(p).startsWith("the security group description 'Teleport's ports' holds '''; AWS allows only"));
        assertThat(AwsRules.OPENSEARCH_DOMAIN.problem(Ref.id("x"))).isEmpty();
    }

    @Test
    void aDerivedNameIsFittedOnlyWhenTooLongStablyAndApart() {
        assertThat(AwsRules.LOAD_BALANCER.fit("shop-internal")).isEqualTo("shop-internal");
        String one = AwsRules.LOAD_BALANCER.fit("payments-platform-production-eu-internal");
        String two = AwsRules.LOAD_BALANCER.fit("payments-platform-production-eu-internal2");
        assertThat(one).hasSize(32).matches("payments-platform-produ-[0-9a-f]{8}")
                .isEqualTo(AwsRules.LOAD_BALANCER.fit("payments-platform-production-eu-internal")).isNotEqualTo(two);
        assertThat(AwsRules.LOAD_BALANCER.problem(one)).isEmpty();
        // No hyphen is left before the hash's own: the cut may fall on one.
        assertThat(AwsRules.OPENSEARCH_DOMAIN.fit("abcdefghijklmnopqr-stuvwxyz-logs")).hasSize(27)
                .doesNotContain("--");
    }

    @Test
    void theSchemaIsDerivedFromTheEntry() {
        assertThat(LB.schema().updatable()).containsExactlyInAnyOrder("subnetIds", "idleTimeout", "tags");
        assertThat(LB.schema().computed()).containsExactly("dnsName");
        assertThat(LB.schema().unordered()).containsExactly("subnetIds");
        assertThat(LB.schema().forcesReplacement("name")).isTrue();
    }

    /** A problem is reported at the topology key the resource came from, read off its address. */
    @Test
    void theYamlPathOfAnAddress() {
        assertThat(Catalogue.yamlPath("load-balancer.internal/alb")).isEqualTo("loadBalancers.internal");
        assertThat(Catalogue.yamlPath("network/security-group.web/rule.ingress-tcp-80-10.0.0.0_16"))
                .isEqualTo("network.securityGroups.web");
        assertThat(Catalogue.yamlPath("network/vpc")).isEqualTo("network");
        assertThat(Catalogue.yamlPath("bucket.static")).isEqualTo("buckets.static");
        assertThat(Catalogue.yamlPath("access-proxy/auth-server.0")).isEqualTo("accessProxy.authServers.0");
        assertThat(Catalogue.yamlPath("monitoring/log-group.apps/subscription")).isEqualTo("monitoring.logGroups.apps");
    }
}
