package dev.infra.providers.cloudwatch;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.Policies;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourcePolicy;

/**
 * {@code aws_cloudwatch_log_resource_policy} (id: the policy name): name F, policyDocument A (canonical JSON; the
 * account as {@link ResourceSpec#ACCOUNT}, written as the account and read back as the token); no tags.
 *
 * <p>What lets an AWS service write to the account's log groups (OpenSearch Service's slow and application logs, say).
 * PutResourcePolicy creates and replaces it (so a create repeated after a lost answer is harmless), DeleteResourcePolicy
 * deletes it; one DescribeResourcePolicies reads them all (an account has at most ten per region; a page holds 50).
 */
public final class LogResourcePolicyProvider extends LogsPutProvider {

    public static final String TYPE = "aws_cloudwatch_log_resource_policy";
    static final String NAME = "name";
    static final String DOCUMENT = "policyDocument";
    static final int MAX_POLICIES = 50;

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(NAME, Kind.STRING),
            Attribute.required(DOCUMENT, Kind.STRING).updatable()
                    .doc("JSON, canonical; `${infra:account}` written as the account and read back as the token"))
            .id("policy name")
            .notes("No tags; create and update = PutResourcePolicy, delete = DeleteResourcePolicy; readAll = one DescribeResourcePolicies");

    public LogResourcePolicyProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return call("DescribeResourcePolicies", () -> logs().describeResourcePolicies(b -> b.limit(MAX_POLICIES)))
                .resourcePolicies().stream()
                .filter(p -> ids.contains(p.policyName())).map(this::toLive).toList();
    }

    private LiveResource toLive(ResourcePolicy p) {
        return live(p.policyName(), Map.of(), Map.of(NAME, p.policyName(),
                DOCUMENT, Policies.tokenized(Policies.canonical(p.policyDocument()), clients()::account)));
    }

    @Override
    protected String noun() {
        return "log resource policy";
    }

    @Override
    protected String nameOf(ResourceSpec spec) {
        return SpecValues.string(spec, NAME);
    }

    @Override
    protected Optional<LiveResource> read(ResourceSpec spec) {
        return readIds(List.of(nameOf(spec))).stream().findFirst();
    }

    @Override
    protected void put(ResourceSpec spec, OperationContext ctx) {
        String document = Policies.withAccount(SpecValues.string(spec, DOCUMENT), clients()::account);
        call("PutResourcePolicy", () -> logs().putResourcePolicy(b -> b.policyName(nameOf(spec)).policyDocument(document)));
    }

    @Override
    protected void remove(LiveResource current) {
        call("DeleteResourcePolicy", () -> logs().deleteResourcePolicy(b -> b.policyName(current.id())));
    }
}
