package dev.infra.providers.route53;

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
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckAlreadyExistsException;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.NoSuchHealthCheckException;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * Route 53 health checks against the emulator (Route 53 is global; the clients use eu-north-1). Each test's checks
 * carry its own stack, and their fqdn names it.
 */
class HealthCheckIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "eu-north-1";
    }

    private Route53Client route53() {
        return clients.route53();
    }

    private String fqdn(String lb) {
        return stack + "-" + lb + ".eu-north-1.elb.amazonaws.com";
    }

    private ResourceSpec checkSpec(String address, String lb, Long port, String path, Long threshold,
                                   Map<String, String> userTags) {
        return spec(address, HealthCheckProvider.TYPE, attributes("type", "HTTPS", "fqdn", fqdn(lb), "port", port,
                "resourcePath", path, "requestInterval", 10L, "failureThreshold", threshold), userTags);
    }

    private HealthCheck rawCheck(String id) {
        return route53().getHealthCheck(b -> b.healthCheckId(id)).healthCheck();
    }

    private Map<String, String> rawTags(String id) {
        Map<String, String> out = new TreeMap<>();
        route53().listTagsForResource(b -> b.resourceType(TagResourceType.HEALTHCHECK).resourceId(id))
                .resourceTagSet().tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /** The checks of this test's stack: their fqdn holds the stack name. */
    private List<HealthCheck> rawChecksOfThisTest() {
        return route53().listHealthChecksPaginator(b -> { }).healthChecks().stream()
                .filter(c -> c.healthCheckConfig().fullyQualifiedDomainName().startsWith(stack + "-"))
                .toList();
    }

    @Test
    void healthCheckLifecycle() {
        HealthCheckProvider checks = new HealthCheckProvider(clients);
        ResourceSpec primary = checkSpec("dns/check.primary", "alb-a", 443L, "/healthz", 3L,
                Map.of("team", "edge", "retired", "soon"));
        ResourceSpec secondary = checkSpec("dns/check.secondary", "alb-b", null, "/healthz", 3L, Map.of());

        LiveResource a = checks.create(primary, ctx(primary.address()));
        LiveResource b = checks.create(secondary, ctx(secondary.address()));

        HealthCheckConfig rawA = rawCheck(a.id()).healthCheckConfig();
        assertThat(rawA.type()).isEqualTo(HealthCheckType.HTTPS);
        assertThat(rawA.fullyQualifiedDomainName()).isEqualTo(fqdn("alb-a"));
        assertThat(rawA.port()).isEqualTo(443);
        assertThat(rawA.resourcePath()).isEqualTo("/healthz");
        assertThat(rawA.requestInterval()).isEqualTo(10);
        assertThat(rawA.failureThreshold()).isEqualTo(3);
        assertThat(rawCheck(a.id()).callerReference())
                .startsWith(Route53Provider.referencePrefix(stack, primary.address()));
        assertThat(rawTags(a.id())).isEqualTo(primary.tags());
        assertThat(rawCheck(b.id()).healthCheckConfig().fullyQualifiedDomainName()).isEqualTo(fqdn("alb-b"));
        assertThat(rawTags(b.id())).isEqualTo(secondary.tags());
        assertMatchesSpec(a, primary);
        assertMatchesSpec(b, secondary);
        assertThat(b.attributes()).containsKey("port"); // Route 53's default, reported

        ResourceSpec changed = checkSpec(primary.address(), "alb-a", 8443L, "/ready", 5L, Map.of("team", "dns"));
        LiveResource updated = checks.update(a, changed, Set.of("port", "resourcePath", "failureThreshold", "tags"),
                ctx(primary.address()));

        rawA = rawCheck(a.id()).healthCheckConfig();
        assertThat(rawA.port()).isEqualTo(8443);
        assertThat(rawA.resourcePath()).isEqualTo("/ready");
        assertThat(rawA.failureThreshold()).isEqualTo(5);
        assertThat(rawA.fullyQualifiedDomainName()).isEqualTo(fqdn("alb-a"));
        assertThat(rawTags(a.id())).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertMatchesSpec(updated, changed);

        ResourceSpec moved = checkSpec(primary.address(), "alb-c", 8443L, "/ready", 5L, Map.of("team", "dns"));
        updated = checks.update(updated, moved, Set.of("fqdn"), ctx(primary.address()));
        assertThat(rawCheck(a.id()).healthCheckConfig().fullyQualifiedDomainName()).isEqualTo(fqdn("alb-c"));
        assertMatchesSpec(updated, moved);

        // No tag filter: one ListHealthChecks page (100 checks), the tags of every check ten a call.
        int inAccount = route53().listHealthChecksPaginator(x -> { }).healthChecks().stream().toList().size();
        clients.counter().reset();
        assertThat(checks.readAll(ReadRequest.of(stack, Set.of(a.id(), b.id()))))
                .containsExactlyInAnyOrder(updated, b);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Route53", Map.of(
                "ListHealthChecks", (long) (inAccount + 99) / 100,
                "ListTagsForResources", (long) (inAccount + 9) / 10)));

        assertThat(checks.findExisting(stack, moved)).contains(updated);
        assertThat(checks.findExisting(stack, secondary)).contains(b);
        assertThat(checks.findExisting("some-other-stack", moved)).isEmpty();

        checks.delete(updated, ctx(primary.address()));
        checks.delete(b, ctx(secondary.address()));
        assertThatThrownBy(() -> rawCheck(a.id())).isInstanceOf(NoSuchHealthCheckException.class);
        assertThatThrownBy(() -> rawCheck(b.id())).isInstanceOf(NoSuchHealthCheckException.class);
        assertThat(checks.readAll(ReadRequest.of(stack, Set.of(a.id(), b.id())))).isEmpty();
        assertThat(checks.findExisting(stack, moved)).isEmpty();
        checks.delete(updated, ctx(primary.address())); // gone already: fine
    }

    /** A create whose answer was lost is not sent again: the check it made is found by its CallerReference. */
    @Test
    void createRetriedAfterALostAnswerMakesOneCheck() {
        String address = "dns/check.retried";
        ResourceSpec spec = checkSpec(address, "alb-r", 443L, "/healthz", 3L, Map.of());
        try (AwsClients lossy = Emulator.clients(region(), Faults.loseAnswer("CreateHealthCheck", 1))) {
            LiveResource created = new HealthCheckProvider(lossy).create(spec, ctx(address));

            assertThat(lossy.counter().count("Route53", "CreateHealthCheck")).isEqualTo(1);
            assertThat(rawChecksOfThisTest()).singleElement()
                    .satisfies(c -> assertThat(c.id()).isEqualTo(created.id()));
            assertThat(rawTags(created.id())).isEqualTo(spec.tags());
            new HealthCheckProvider(lossy).delete(created, ctx(address));
        }
    }

    /** A create interrupted between CreateHealthCheck and tagging is found by its CallerReference, then tagged. */
    @Test
    void checkLeftUntaggedByAnInterruptedCreateIsAdopted() {
        String address = "dns/check.interrupted";
        ResourceSpec spec = checkSpec(address, "alb-i", 443L, "/healthz", 2L, Map.of());
        ExecutionInterceptor tagsRefused = Faults.awsError("ChangeTagsForResource", 1, 400, "InvalidInput");
        try (AwsClients failing = Emulator.clients(region(), tagsRefused)) {
            assertThatThrownBy(() -> new HealthCheckProvider(failing).create(spec, ctx(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageStartingWith(address + ": ")
                    .hasMessageContaining("ChangeTagsForResource");
        }
        HealthCheck left = rawChecksOfThisTest().get(0);
        assertThat(rawTags(left.id())).isEmpty();

        HealthCheckProvider checks = new HealthCheckProvider(clients);
        assertThat(checks.readAll(ReadRequest.of(stack, Set.of()))).isEmpty(); // not the stack's yet
        assertThat(checks.findExisting("some-other-stack", spec)).isEmpty();
        LiveResource found = checks.findExisting(stack, spec).orElseThrow();
        assertThat(found.id()).isEqualTo(left.id());
        assertThat(found.address()).isNull();

        LiveResource adopted = checks.update(found, spec, Set.of("tags"), ctx(address));
        assertThat(rawTags(found.id())).isEqualTo(spec.tags());
        assertMatchesSpec(adopted, spec);
        assertThat(rawChecksOfThisTest()).hasSize(1);
        checks.delete(adopted, ctx(address));
    }

    /** Another writer changed the check between the read and the update: the update is worked out again. */
    @Test
    void updateReadsAgainWhenTheVersionMoved() {
        String address = "dns/check.raced";
        ResourceSpec spec = checkSpec(address, "alb-v", 443L, "/healthz", 3L, Map.of());
        LiveResource created = new HealthCheckProvider(clients).create(spec, ctx(address));
        ExecutionInterceptor moved = Faults.awsError("UpdateHealthCheck", 1, 409, "HealthCheckVersionMismatch");
        try (AwsClients racing = Emulator.clients(region(), moved)) {
            ResourceSpec changed = checkSpec(address, "alb-v", 443L, "/healthz", 7L, Map.of());
            LiveResource updated = new HealthCheckProvider(racing).update(created, changed, Set.of("failureThreshold"),
                    ctx(address));

            assertThat(racing.counter().count("Route53", "UpdateHealthCheck")).isEqualTo(2);
            assertThat(racing.counter().count("Route53", "GetHealthCheck")).isEqualTo(3); // twice before, once after
            assertThat(rawCheck(created.id()).healthCheckConfig().failureThreshold()).isEqualTo(7);
            assertMatchesSpec(updated, changed);
        }
        new HealthCheckProvider(clients).delete(created, ctx(address));
    }

    /**
     * CreateHealthCheck's CallerReference as AWS documents it (the emulator is patched to follow it): the same
     * reference and settings return the existing check; different settings, or a deleted check's reference, fail
     * with HealthCheckAlreadyExists (409).
     */
    @Test
    void callerReferenceAsAwsDocumentsIt() {
        String reference = "it-" + stack;
        HealthCheckConfig config = HealthCheckConfig.builder().type(HealthCheckType.HTTPS)
                .fullyQualifiedDomainName(fqdn("alb-x")).resourcePath("/healthz").requestInterval(30).build();
        String id = route53().createHealthCheck(b -> b.callerReference(reference).healthCheckConfig(config))
                .healthCheck().id();

        assertThat(route53().createHealthCheck(b -> b.callerReference(reference).healthCheckConfig(config))
                .healthCheck().id()).isEqualTo(id);
        assertThatThrownBy(() -> route53().createHealthCheck(b -> b.callerReference(reference)
                .healthCheckConfig(config.toBuilder().resourcePath("/other").build())))
                .isInstanceOfSatisfying(HealthCheckAlreadyExistsException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThat(rawChecksOfThisTest()).hasSize(1);

        route53().deleteHealthCheck(b -> b.healthCheckId(id));
        assertThatThrownBy(() -> route53().createHealthCheck(b -> b.callerReference(reference).healthCheckConfig(config)))
                .isInstanceOfSatisfying(HealthCheckAlreadyExistsException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThat(rawChecksOfThisTest()).isEmpty();
    }
}
