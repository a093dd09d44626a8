package dev.infra.providers.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.providers.cloudwatch.LogResourcePolicyProvider;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.LogPublishingOption;
import software.amazon.awssdk.services.opensearch.model.ValidationException;

/**
 * A domain publishes its logs to a CloudWatch log group only when the group's resource policy lets OpenSearch Service
 * write (moto_launcher.py's patch_opensearch_log_publishing_access): raw CreateDomain is refused without the policy and
 * for a missing group; with the policy (made by the provider, the account written from its token), the provider's
 * domain publishes the types asked for, and an update turns one off.
 */
class LogPublishingIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "af-south-1";
    }

    private OpenSearchClient openSearch() {
        return clients.client(OpenSearchClient.class, OpenSearchClient::builder);
    }

    @Test
    void aDomainPublishesOnlyToAGroupOpenSearchMayWrite() {
        String group = "/infra/" + stack + "/log-search";
        CloudWatchLogsClient logs = clients.client(CloudWatchLogsClient.class, CloudWatchLogsClient::builder);
        logs.createLogGroup(b -> b.logGroupName(group));
        String groupArn = "arn:aws:logs:" + region() + ":" + clients.account() + ":log-group:" + group;
        String domain = "lp-" + stack.substring(3);
        assertThatThrownBy(() -> openSearch().createDomain(b -> b.domainName(domain).logPublishingOptionsWithStrings(
                Map.of("SEARCH_SLOW_LOGS", LogPublishingOption.builder().enabled(true).cloudWatchLogsLogGroupArn(groupArn)
                        .build())))).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(
                e.awsErrorDetails().errorMessage()).contains("does not grant sufficient permissions"));
        assertThatThrownBy(() -> openSearch().createDomain(b -> b.domainName(domain).logPublishingOptionsWithStrings(
                Map.of("SEARCH_SLOW_LOGS", LogPublishingOption.builder().enabled(true)
                        .cloudWatchLogsLogGroupArn(groupArn + "-missing").build()))))
                .isInstanceOf(ValidationException.class);

        LogResourcePolicyProvider policies = new LogResourcePolicyProvider(clients);
        ResourceSpec policy = untaggedSpec("monitoring/log-search/log-policy", LogResourcePolicyProvider.TYPE, Map.of(
                "name", stack + "-log-search",
                "policyDocument", "{\"Statement\":[{\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],"
                        + "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"es.amazonaws.com\"},\"Resource\":"
                        + "\"arn:aws:logs:" + region() + ":${infra:account}:log-group:" + group + ":*\",\"Sid\":"
                        + "\"OpenSearchLogs\"}],\"Version\":\"2012-10-17\"}"));
        LiveResource madePolicy = policies.create(policy, ctx(policy.address()));
        assertMatchesSpec(madePolicy, policy);
        assertThat(logs.describeResourcePolicies(b -> { }).resourcePolicies())
                .anySatisfy(p -> assertThat(p.policyDocument()).contains(":" + clients.account() + ":log-group:" + group));

        OpenSearchDomainProvider domains = new OpenSearchDomainProvider(clients);
        Map<String, Object> a = new TreeMap<>(Map.of("name", domain, "engineVersion", "OpenSearch_2.13",
                "instanceType", "r6g.large.search", "instanceCount", 1L, "ebsVolumeSize", 10L,
                "logPublishing", Map.of("SEARCH_SLOW_LOGS", groupArn, "INDEX_SLOW_LOGS", groupArn)));
        ResourceSpec spec = spec("monitoring/log-search", OpenSearchDomainProvider.TYPE, a, Map.of());
        LiveResource made = domains.create(spec, ctx(spec.address()));
        assertMatchesSpec(made, spec);

        a.put("logPublishing", Map.of("SEARCH_SLOW_LOGS", groupArn));
        ResourceSpec fewer = spec(spec.address(), spec.type(), a, Map.of());
        LiveResource updated = domains.update(made, fewer, Set.of("logPublishing"), ctx(spec.address()));
        assertMatchesSpec(updated, fewer);
        Map<String, LogPublishingOption> raw = openSearch().describeDomain(b -> b.domainName(domain)).domainStatus()
                .logPublishingOptionsAsStrings();
        assertThat(raw.get("SEARCH_SLOW_LOGS").enabled()).isTrue();
        assertThat(raw.get("INDEX_SLOW_LOGS") == null || !raw.get("INDEX_SLOW_LOGS").enabled()).isTrue();

        domains.delete(updated, ctx(spec.address()));
        policies.delete(madePolicy, ctx(policy.address()));
        assertThat(logs.describeResourcePolicies(b -> { }).resourcePolicies())
                .noneMatch(p -> p.policyName().equals(stack + "-log-search"));
    }
}
