package dev.infra.providers;

import static dev.infra.providers.AwsResourceProvider.ADDRESS_TAG;
import static dev.infra.providers.AwsResourceProvider.STACK_TAG;

import dev.infra.core.provider.ProviderException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Helpers for providers of any service, beside {@link AwsResourceProvider}: lookups where a service's NotFound means
 * "absent", and the ownership check of a resource found by its unique name.
 */
public final class ProviderSupport {

    private ProviderSupport() {}

    /** Runs a lookup, counting the failures {@code absent} accepts (the service's NotFound codes) as "absent". */
    public static <T> Optional<T> unless(Predicate<AwsCallException> absent, Supplier<Optional<T>> lookup) {
        try {
            return lookup.get();
        } catch (AwsCallException e) {
            if (absent.test(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Checks that a resource found by its unique name (a load balancer, a web ACL, a bucket, a cluster) may be adopted
     * for {@code address} in {@code stack}: its tags name this stack and address, or no stack nor address at all (a
     * create interrupted before it tagged). One that belongs to another address or stack is not taken: its name is
     * in use, which fails with a {@link ProviderException} saying by what.
     *
     * @param what how messages name the resource, e.g. {@code "web ACL edge"}
     */
    public static void claim(String address, String stack, String what, Map<String, String> tags) {
        String taggedStack = tags.get(STACK_TAG);
        String taggedAddress = tags.get(ADDRESS_TAG);
        boolean untagged = taggedStack == null && taggedAddress == null;
        if (untagged || (Objects.equals(taggedStack, stack) && Objects.equals(taggedAddress, address))) {
            return;
        }
        throw new ProviderException(address, what + " already exists and belongs to "
                + (taggedAddress == null ? "another resource" : taggedAddress)
                + (taggedStack == null ? "" : " of stack " + taggedStack) + "; choose another name or delete it");
    }
}
