package dev.infra.providers.wafv2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.services.wafv2.model.AllowAction;
import software.amazon.awssdk.services.wafv2.model.BlockAction;
import software.amazon.awssdk.services.wafv2.model.DefaultAction;
import software.amazon.awssdk.services.wafv2.model.GetWebAclResponse;
import software.amazon.awssdk.services.wafv2.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.wafv2.model.ListWebAcLsResponse;
import software.amazon.awssdk.services.wafv2.model.NoneAction;
import software.amazon.awssdk.services.wafv2.model.RateBasedStatementAggregateKeyType;
import software.amazon.awssdk.services.wafv2.model.Rule;
import software.amazon.awssdk.services.wafv2.model.Tag;
import software.amazon.awssdk.services.wafv2.model.VisibilityConfig;
import software.amazon.awssdk.services.wafv2.model.WebACL;
import software.amazon.awssdk.services.wafv2.model.WebACLSummary;

/**
 * {@code aws_wafv2_web_acl} (id: the ACL's id): name, scope ({@code REGIONAL}), managedRuleGroups (AWS managed rule
 * groups, one rule each, priority by position, their own actions), rateLimit (a rate-based rule last: block an IP
 * above the limit per 5 minutes), tags; computed arn. Default action: allow. Every rule and the ACL send metrics and
 * sampled requests. Updates go through UpdateWebACL with the lock token GetWebACL gives, carrying over what the tool
 * does not manage (description, custom responses, CAPTCHA settings…).
 *
 * <p>readAll: ListWebACLs (all pages), ListTagsForResource per ACL (WAFv2 has no tag filter on its list), and
 * GetWebACL per ACL of the stack (the list has no rules).
 */
public final class WebAclProvider extends Wafv2Provider {

    public static final String TYPE = "aws_wafv2_web_acl";
    /** The rate-based rule's name; AWS's managed rule groups are all named AWSManagedRules…. */
    static final String RATE_RULE = "rate-limit";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required("managedRuleGroups", Kind.LIST).updatable()
                    .doc("list of rule group names, vendor AWS, in order"),
            Attribute.required("name", Kind.STRING).rule(AwsRules.WEB_ACL),
            Attribute.required("rateLimit", Kind.NUMBER).rule(new dev.infra.core.catalogue.Rule.Range("rate limit", 10, 2_000_000_000)).updatable(),
            Attribute.required("scope", Kind.STRING).rule(dev.infra.core.catalogue.Rule.OneOf.of("scope", "REGIONAL", "CLOUDFRONT"))
                    .doc("infra's web ACLs are REGIONAL"),
            Attribute.computed("arn", Kind.STRING))
            .with(Trait.TAGGED)
            .id("`<id>` (name and scope kept as attributes)");

    public WebAclProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    /** ListWebACLs, a ListTagsForResource per ACL, a GetWebACL per ACL of the stack. */
    @Override
    protected List<LiveResource> readStack(String stack) {
        return read(list(), tags -> stack.equals(tags.get(STACK_TAG)));
    }

    /** ListWebACLs, a ListTagsForResource and a GetWebACL per ACL asked for. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return read(list().stream().filter(acl -> ids.contains(acl.id())).toList(), tags -> true);
    }

    /** By name, unique per scope and region. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return byName(SpecValues.string(spec, "name")).flatMap(acl -> {
            Map<String, String> tags = tagsOf(acl.arn());
            ProviderSupport.claim(spec.address(), stack, "web ACL " + acl.name(), tags);
            return get(acl.name(), acl.id()).map(r -> toLive(r.webACL(), tags));
        });
    }

    /**
     * CreateWebACL, tagged. A WAFDuplicateItemException after a retried call whose first attempt took effect finds
     * the ACL by name and takes it, when its tags say it is this resource.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, "name");
        String scope = SpecValues.optionalString(spec, "scope");
        if (scope != null && !SCOPE.equals(scope)) {
            throw new ProviderException(spec.address(), "scope must be " + SCOPE + " (web ACLs for load balancers), got "
                    + scope);
        }
        String id;
        try {
            id = call("CreateWebACL", () -> wafv2().createWebACL(b -> b
                    .name(name)
                    .scope(SCOPE)
                    .defaultAction(allow())
                    .rules(rules(spec))
                    .visibilityConfig(visibility(name))
                    .tags(sdkTags(spec.tags())))).summary().id();
        } catch (AwsCallException e) {
            Optional<WebACLSummary> made = "WAFDuplicateItemException".equals(e.code()) ? byName(name) : Optional.empty();
            if (made.isEmpty()) {
                throw e;
            }
            ProviderSupport.claim(spec.address(), spec.tags().get(STACK_TAG), "web ACL " + name,
                    tagsOf(made.get().arn()));
            id = made.get().id();
        }
        String madeId = id;
        return awaitPropagation(ctx, "web ACL " + madeId + " to become readable", () -> read(name, madeId));
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = (String) current.attributes().get("name");
        String arn = (String) current.attributes().get("arn");
        TagChanges t = tagChanges(tags(current), spec.tags());
        if (!t.put().isEmpty()) {
            call("TagResource", () -> wafv2().tagResource(b -> b.resourceARN(arn).tags(sdkTags(t.put()))));
        }
        if (!t.remove().isEmpty()) {
            call("UntagResource", () -> wafv2().untagResource(b -> b.resourceARN(arn).tagKeys(t.remove())));
        }
        if (changed.contains("managedRuleGroups") || changed.contains("rateLimit")) {
            List<Rule> rules = rules(spec);
            // The lock token changes with every update: after a concurrent change, read it again and retry.
            retrying(ctx, "UpdateWebACL " + name, TIMEOUT, INTERVAL, e -> LOCK_CHANGED.equals(e.code()), () -> {
                GetWebAclResponse now = get(name, current.id()).orElseThrow(() -> new ProviderException(
                        spec.address(), "web ACL " + name + " (" + current.id() + ") no longer exists"));
                WebACL acl = now.webACL();
                return call("UpdateWebACL", () -> wafv2().updateWebACL(b -> b
                        .name(name).scope(SCOPE).id(current.id()).lockToken(now.lockToken())
                        .defaultAction(allow())
                        .rules(rules)
                        .visibilityConfig(acl.visibilityConfig())
                        .description(acl.description())
                        .customResponseBodies(acl.customResponseBodies())
                        .captchaConfig(acl.captchaConfig())
                        .challengeConfig(acl.challengeConfig())
                        .tokenDomains(acl.tokenDomains())
                        .associationConfig(acl.associationConfig())));
            });
        }
        return awaitPropagation(ctx, "web ACL " + current.id() + " to become readable", () -> read(name, current.id()));
    }

    /**
     * DeleteWebACL with the current lock token; retried while a resource is still associated (its association's
     * delete may be going on) or the lock token changed.
     */
    @Override
    protected void remove(LiveResource current, OperationContext ctx) {
        String name = (String) current.attributes().get("name");
        retrying(ctx, "DeleteWebACL " + name, TIMEOUT, INTERVAL,
                e -> LOCK_CHANGED.equals(e.code()) || "WAFAssociatedItemException".equals(e.code()),
                () -> get(name, current.id()).map(now -> call("DeleteWebACL", () -> wafv2().deleteWebACL(b -> b
                        .name(name).scope(SCOPE).id(current.id()).lockToken(now.lockToken())))));
    }

    @Override
    protected boolean exists(LiveResource current) {
        return get((String) current.attributes().get("name"), current.id()).isPresent();
    }

    // ---- internals ----------------------------------------------------------------------------------

    /** Every web ACL of the scope in the region, all pages. */
    private List<WebACLSummary> list() {
        return allPages(marker -> call("ListWebACLs",
                        () -> wafv2().listWebACLs(b -> b.scope(SCOPE).limit(LIST_LIMIT).nextMarker(marker))),
                ListWebAcLsResponse::webACLs, ListWebAcLsResponse::nextMarker);
    }

    private Optional<WebACLSummary> byName(String name) {
        return list().stream().filter(acl -> name.equals(acl.name())).findFirst();
    }

    private Optional<GetWebAclResponse> get(String name, String id) {
        return unlessGone(() -> Optional.of(call("GetWebACL",
                () -> wafv2().getWebACL(b -> b.name(name).scope(SCOPE).id(id)))));
    }

    /** The ACLs whose tags {@code keep} accepts, with their rules (a GetWebACL each). */
    private List<LiveResource> read(List<WebACLSummary> acls, Predicate<Map<String, String>> keep) {
        return readDetails(acls, acl -> {
            Map<String, String> tags = tagsOf(acl.arn());
            return keep.test(tags) ? get(acl.name(), acl.id()).map(r -> toLive(r.webACL(), tags)) : Optional.empty();
        });
    }

    private Optional<LiveResource> read(String name, String id) {
        return get(name, id).map(r -> toLive(r.webACL(), tagsOf(r.webACL().arn())));
    }

    /** The ACL's tags without AWS's own; WAF has at most 50 a resource, so one page of 100 holds them. */
    private Map<String, String> tagsOf(String arn) {
        Map<String, String> out = new TreeMap<>();
        allPages(marker -> call("ListTagsForResource",
                        () -> wafv2().listTagsForResource(b -> b.resourceARN(arn).limit(LIST_LIMIT).nextMarker(marker))),
                (ListTagsForResourceResponse r) -> r.tagInfoForResource() == null
                        ? List.<Tag>of() : r.tagInfoForResource().tagList(),
                ListTagsForResourceResponse::nextMarker)
                .forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private LiveResource toLive(WebACL acl, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", acl.name());
        a.put("scope", SCOPE);
        a.put("arn", acl.arn());
        List<Rule> rules = acl.rules().stream()
                .sorted(Comparator.comparing(r -> r.priority() == null ? Integer.MAX_VALUE : r.priority()))
                .toList();
        a.put("managedRuleGroups", rules.stream()
                .filter(r -> r.statement() != null && r.statement().managedRuleGroupStatement() != null)
                .map(r -> r.statement().managedRuleGroupStatement().name())
                .toList());
        rules.stream()
                .filter(r -> r.statement() != null && r.statement().rateBasedStatement() != null)
                .findFirst()
                .ifPresent(r -> a.put("rateLimit", r.statement().rateBasedStatement().limit()));
        return live(acl.id(), tags, a);
    }

    /** One rule per managed rule group, in the spec's order, then the rate-based rule. */
    private static List<Rule> rules(ResourceSpec spec) {
        List<String> groups = SpecValues.strings(spec, "managedRuleGroups");
        List<Rule> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            out.add(Rule.builder()
                    .name(group)
                    .priority(i)
                    .statement(s -> s.managedRuleGroupStatement(m -> m.vendorName("AWS").name(group)))
                    .overrideAction(o -> o.none(NoneAction.builder().build()))
                    .visibilityConfig(visibility(group))
                    .build());
        }
        if (spec.attributes().get("rateLimit") != null) {
            long limit = SpecValues.number(spec, "rateLimit");
            out.add(Rule.builder()
                    .name(RATE_RULE)
                    .priority(groups.size())
                    .statement(s -> s.rateBasedStatement(r -> r.limit(limit)
                            .aggregateKeyType(RateBasedStatementAggregateKeyType.IP)))
                    .action(x -> x.block(BlockAction.builder().build()))
                    .visibilityConfig(visibility(RATE_RULE))
                    .build());
        }
        return out;
    }

    private static DefaultAction allow() {
        return DefaultAction.builder().allow(AllowAction.builder().build()).build();
    }

    private static VisibilityConfig visibility(String metricName) {
        return VisibilityConfig.builder()
                .sampledRequestsEnabled(true)
                .cloudWatchMetricsEnabled(true)
                .metricName(metricName)
                .build();
    }

    private static List<Tag> sdkTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
