package dev.infra.providers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Values;
import dev.infra.core.provider.LiveResource;
import dev.infra.providers.AwsClients;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Shared set-up of provider integration tests outside EC2: the emulator's clients for one region per class, a fresh
 * stack name per test, specs shaped as the engine hands them over, and the check that what a provider reads back
 * matches the spec.
 */
@ExtendWith(Emulator.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderTestSupport {

    protected AwsClients clients;
    /** A fresh stack per test, so that each test's readAll sees only its own resources. */
    protected String stack;

    /** Each class uses its own region, so classes never see each other's resources (IAM is global regardless). */
    protected abstract String region();

    @BeforeAll
    void connect() {
        clients = Emulator.clients(region());
    }

    @BeforeEach
    void newStack() {
        stack = "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterAll
    void disconnect() {
        if (clients != null) {
            clients.close();
        }
    }

    /** A raw call AWS (and the emulator with it) refuses with {@code code}, its message containing {@code message}. */
    protected static void assertRefused(Runnable call, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    protected SleepingOperationContext ctx(String address) {
        return new SleepingOperationContext(address);
    }

    /** A resolved, tagged spec: tags carry stack, address and Name besides {@code userTags}. */
    protected ResourceSpec spec(String address, String type, Map<String, Object> attributes, Map<String, String> userTags) {
        return spec(stack, address, type, attributes, userTags);
    }

    /** The same for another stack's resource (to check that reads keep to their own stack). */
    protected static ResourceSpec spec(String stack, String address, String type, Map<String, Object> attributes,
                                       Map<String, String> userTags) {
        Map<String, String> tags = new TreeMap<>(userTags);
        tags.put("infra:stack", stack);
        tags.put("infra:address", address);
        tags.put("Name", stack + "-" + address.substring(address.lastIndexOf('/') + 1));
        Map<String, Object> attrs = new TreeMap<>(attributes);
        attrs.put("tags", tags);
        return ResourceSpec.of(address, type, attrs, SourceLocation.wholeFile("test.yaml"));
    }

    /** Spec attributes from name, value pairs; a null value leaves its attribute out (absent, not null). */
    protected static Map<String, Object> attributes(Object... namesAndValues) {
        Map<String, Object> out = new TreeMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                out.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return out;
    }

    /** A resolved spec of a type without tags. */
    protected static ResourceSpec untaggedSpec(String address, String type, Map<String, Object> attributes) {
        return ResourceSpec.of(address, type, attributes, SourceLocation.wholeFile("test.yaml"));
    }

    /**
     * Every spec attribute (but {@code except}) reads back with the same value and shape, so the engine sees no
     * difference; the address is the spec's for tagged resources.
     */
    protected static void assertMatchesSpec(LiveResource live, ResourceSpec spec, String... except) {
        if (spec.attributes().containsKey("tags")) {
            assertThat(live.address()).isEqualTo(spec.address());
        }
        Set<String> skip = Set.of(except);
        spec.attributes().forEach((name, value) -> {
            if (!skip.contains(name)) {
                assertThat(Values.same(value, live.attributes().get(name)))
                        .as("attribute %s: spec %s, live %s", name, value, live.attributes().get(name))
                        .isTrue();
            }
        });
    }
}
