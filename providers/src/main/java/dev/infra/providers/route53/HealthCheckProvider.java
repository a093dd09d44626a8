package dev.infra.providers.route53;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.TagResourceType;
import software.amazon.awssdk.services.route53.model.UpdateHealthCheckRequest;

/**
 * {@code aws_route53_health_check}: an HTTP or HTTPS check of a DNS name (a load balancer's): type (HTTP | HTTPS),
 * fqdn, port (Long; Route 53 defaults it to 80 or 443), resourcePath, requestInterval (Long, 10 or 30 s),
 * failureThreshold (Long, 1–10), tags. Id: the health check id.
 *
 * <p>CreateHealthCheck takes no tags. Its CallerReference is {@link #newReference new to each create}
 * ({@code infra-<hash of stack and address>-<random>}): Route 53 answers a repeat of the same reference and settings
 * with the check it made, and after a failure that may have run the create looks for a check with this reference
 * before it sends the call again ({@link #createOnce}), so a lost answer makes no second check; {@link #find} recognises a check
 * whose create was interrupted before it was tagged by the reference's prefix. A reference is never reused across
 * creates: Route 53 refuses a deleted check's reference (HealthCheckAlreadyExists) for some days, which would fail
 * the create of a replacement. Route 53 has no tag filter: readAll is ListHealthChecks (100 a page) +
 * ListTagsForResources (10 checks a call).
 */
public final class HealthCheckProvider extends Route53Provider {

    public static final String TYPE = "aws_route53_health_check";
    static final String CHECK_TYPE = "type";
    static final String FQDN = "fqdn";
    static final String PORT = "port";
    static final String RESOURCE_PATH = "resourcePath";
    static final String REQUEST_INTERVAL = "requestInterval";
    static final String FAILURE_THRESHOLD = "failureThreshold";
    private static final TagResourceType TAGGED_AS = TagResourceType.HEALTHCHECK;
    private static final String NO_SUCH_CHECK = "NoSuchHealthCheck";
    private static final String VERSION_MISMATCH = "HealthCheckVersionMismatch";
    private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration UPDATE_INTERVAL = Duration.ofSeconds(1);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(FAILURE_THRESHOLD, Kind.NUMBER).rule(new Rule.Range("failure threshold", 1, 10)).updatable()
                    .doc("Long 1–10"),
            Attribute.required(FQDN, Kind.REFERENCE).updatable()
                    .doc("e.g. a region's ALB DNS name"),
            Attribute.required(PORT, Kind.NUMBER).updatable()
                    .doc("absent = Route 53's default, 80 or 443, read back"),
            Attribute.required(REQUEST_INTERVAL, Kind.NUMBER).rule(Rule.OneOf.of("request interval", "10", "30"))
                    .doc("10 or 30"),
            Attribute.required(RESOURCE_PATH, Kind.STRING).updatable()
                    .doc("e.g. `/healthz`"),
            Attribute.required(CHECK_TYPE, Kind.STRING)
                    .doc("HTTP \\| HTTPS"))
            .with(Trait.TAGGED, Trait.ACCOUNT_WIDE)
            .id("health check id")
            .notes("Tags (ChangeTagsForResource after CreateHealthCheck, which takes none). CallerReference `infra-<hash of stack and address>-<random per create>`: an SDK retry of the one call gets the same check back (same reference and settings), a later create never reuses a deleted check's reference (HealthCheckAlreadyExists for days), and findExisting adopts a check an interrupted create left untagged (its reference's prefix, no stack tag). readAll = ListHealthChecks + ListTagsForResources (10 a call); update = UpdateHealthCheck with the HealthCheckVersion read (HealthCheckVersionMismatch: read and work out the update again); delete = DeleteHealthCheck");

    public HealthCheckProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return NO_SUCH_CHECK.equals(e.code());
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        List<HealthCheck> checks = listAll();
        Map<String, Map<String, String>> tagsById = tagsOf(TAGGED_AS, checks.stream().map(HealthCheck::id).toList());
        List<LiveResource> out = new ArrayList<>();
        for (HealthCheck check : checks) {
            Map<String, String> tags = tagsById.getOrDefault(check.id(), Map.of());
            if (stack.equals(tags.get(STACK_TAG))) {
                out.add(toLive(check, tags));
            }
        }
        return out;
    }

    /** Checks of the state that no longer carry the stack's tag: one GetHealthCheck each. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    /** The check tagged with this stack and address, else one an interrupted create of them left untagged. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        List<HealthCheck> checks = listAll();
        Map<String, Map<String, String>> tagsById = tagsOf(TAGGED_AS, checks.stream().map(HealthCheck::id).toList());
        return madeFor(stack, spec.address(), checks, HealthCheck::id, HealthCheck::callerReference, tagsById)
                .map(c -> toLive(c, tagsById.getOrDefault(c.id(), Map.of())));
    }

    private List<HealthCheck> listAll() {
        return call("ListHealthChecks", () -> route53().listHealthChecksPaginator(b -> { }).healthChecks().stream()
                .toList());
    }

    private Optional<HealthCheck> get(String id) {
        return ProviderSupport.unless(this::isGone,
                () -> Optional.of(call("GetHealthCheck", () -> route53().getHealthCheck(b -> b.healthCheckId(id)))
                        .healthCheck()));
    }

    private Optional<LiveResource> read(String id) {
        return get(id).map(c -> toLive(c, tagsOf(TAGGED_AS, List.of(id)).getOrDefault(id, Map.of())));
    }

    private LiveResource toLive(HealthCheck check, Map<String, String> tags) {
        HealthCheckConfig c = check.healthCheckConfig();
        Map<String, Object> a = new TreeMap<>();
        putIfPresent(a, CHECK_TYPE, c.typeAsString());
        putIfPresent(a, FQDN, c.fullyQualifiedDomainName());
        putIfPresent(a, PORT, c.port() == null ? null : c.port().longValue());
        putIfPresent(a, RESOURCE_PATH, c.resourcePath());
        putIfPresent(a, REQUEST_INTERVAL, c.requestInterval() == null ? null : c.requestInterval().longValue());
        putIfPresent(a, FAILURE_THRESHOLD, c.failureThreshold() == null ? null : c.failureThreshold().longValue());
        return live(check.id(), tags, a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String reference = newReference(spec);
        HealthCheckConfig config = HealthCheckConfig.builder()
                .type(SpecValues.string(spec, CHECK_TYPE))
                .fullyQualifiedDomainName(SpecValues.string(spec, FQDN))
                .port(optionalInt(spec, PORT))
                .resourcePath(SpecValues.optionalString(spec, RESOURCE_PATH))
                .requestInterval(optionalInt(spec, REQUEST_INTERVAL))
                .failureThreshold(optionalInt(spec, FAILURE_THRESHOLD))
                .build();
        String id = createOnce(ctx, spec.address(), () -> call("CreateHealthCheck", () -> route53ForCreates()
                        .createHealthCheck(b -> b.callerReference(reference).healthCheckConfig(config))).healthCheck().id(),
                () -> listAll().stream().filter(c -> reference.equals(c.callerReference())).findFirst()
                        .map(HealthCheck::id), e -> false);
        changeTags(TAGGED_AS, id, Map.of(), spec.tags());
        return readNow(spec, id, this::read);
    }

    /**
     * UpdateHealthCheck of the attributes the spec sets that differ from the check as read just before, sending the
     * HealthCheckVersion read: should the check change in between, Route 53 refuses (HealthCheckVersionMismatch) and
     * the update is worked out again from a fresh read, rather than overwriting what it did not see.
     */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String id = current.id();
        LiveResource before = retrying(ctx, "update of health check " + id, UPDATE_TIMEOUT, UPDATE_INTERVAL,
                e -> VERSION_MISMATCH.equals(e.code()), () -> {
                    HealthCheck check = get(id).orElseThrow(() -> new ProviderException(spec.address(),
                            TYPE + " " + id + " no longer exists"));
                    LiveResource now = toLive(check, tagsOf(TAGGED_AS, List.of(id)).getOrDefault(id, Map.of()));
                    Set<String> differ = differing(now, spec, changed);
                    differ.retainAll(schema().updatable());
                    differ.remove(TAGS);
                    if (!differ.isEmpty()) {
                        UpdateHealthCheckRequest.Builder b = UpdateHealthCheckRequest.builder()
                                .healthCheckId(id).healthCheckVersion(check.healthCheckVersion());
                        if (differ.contains(FQDN)) {
                            b.fullyQualifiedDomainName(SpecValues.string(spec, FQDN));
                        }
                        if (differ.contains(PORT)) {
                            b.port(optionalInt(spec, PORT));
                        }
                        if (differ.contains(RESOURCE_PATH)) {
                            b.resourcePath(SpecValues.string(spec, RESOURCE_PATH));
                        }
                        if (differ.contains(FAILURE_THRESHOLD)) {
                            b.failureThreshold(optionalInt(spec, FAILURE_THRESHOLD));
                        }
                        call("UpdateHealthCheck", () -> route53().updateHealthCheck(b.build()));
                    }
                    return now;
                });
        changeTags(TAGGED_AS, id, tags(before), spec.tags());
        return readNow(spec, id, this::read);
    }

    /** DeleteHealthCheck (NoSuchHealthCheck: done), then waits until GetHealthCheck no longer finds it. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        call("DeleteHealthCheck", () -> route53().deleteHealthCheck(b -> b.healthCheckId(id)));
        awaitGone(ctx, "health check " + id, () -> get(id));
    }

    private static Integer optionalInt(ResourceSpec spec, String name) {
        return spec.attributes().get(name) == null ? null : Math.toIntExact(SpecValues.number(spec, name));
    }
}
