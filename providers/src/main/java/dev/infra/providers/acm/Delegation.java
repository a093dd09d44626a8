package dev.infra.providers.acm;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.providers.AwsClients;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import software.amazon.awssdk.services.route53.model.HostedZone;

/**
 * Whether the public Route 53 zone of a certificate's domain is delegated: ACM validates by looking the validation
 * record up in public DNS, which reaches the zone only when the parent domain names its Route 53 name servers. An
 * undelegated zone leaves the certificate pending until the validation's wait ends (75 minutes); this says at once
 * what to delegate where.
 */
final class Delegation {

    /** The public name servers of a zone, as public DNS answers (NS records); empty when DNS gives no answer. */
    @FunctionalInterface
    interface Resolver {
        Optional<List<String>> nameServers(String zone);
    }

    private Delegation() {
    }

    /**
     * What is wrong with the delegation of {@code domain}'s public zone in this account, or empty when it is delegated,
     * when the account has no such zone, or when public DNS does not answer (nothing is known then).
     */
    static Optional<String> problem(AwsClients clients, String domain, Resolver resolver) {
        Optional<HostedZone> zone = publicZoneOf(clients, domain);
        if (zone.isEmpty()) {
            return Optional.empty();
        }
        String name = trimmed(zone.get().name());
        String id = zone.get().id().substring(zone.get().id().lastIndexOf('/') + 1); // without /hostedzone/
        List<String> route53 = call("GetHostedZone", () -> clients.route53().getHostedZone(b -> b.id(id)))
                .delegationSet().nameServers().stream().map(Delegation::trimmed).toList();
        Optional<List<String>> published = resolver.nameServers(name);
        if (published.isEmpty() || published.get().stream().map(Delegation::trimmed).anyMatch(route53::contains)) {
            return Optional.empty();
        }
        return Optional.of("the Route 53 zone " + name + " is not delegated: public DNS names "
                + (published.get().isEmpty() ? "no name servers" : String.join(", ", published.get()))
                + " for it, so ACM cannot see the validation record; set NS records for " + name + " at its registrar or"
                + " parent zone to " + String.join(", ", route53) + " (infra output dns_name_servers), then apply again");
    }

    /** The account's public zone for {@code domain}: the domain's own or its closest parent's. */
    private static Optional<HostedZone> publicZoneOf(AwsClients clients, String domain) {
        String candidate = trimmed(domain.startsWith("*.") ? domain.substring(2) : domain);
        while (candidate.contains(".")) {
            String name = candidate;
            Optional<HostedZone> found = call("ListHostedZonesByName", () -> clients.route53()
                    .listHostedZonesByName(b -> b.dnsName(name).maxItems("1"))).hostedZones().stream()
                    .filter(z -> trimmed(z.name()).equals(name)
                            && (z.config() == null || !Boolean.TRUE.equals(z.config().privateZone())))
                    .findFirst();
            if (found.isPresent()) {
                return found;
            }
            candidate = candidate.substring(candidate.indexOf('.') + 1);
        }
        return Optional.empty();
    }

    private static String trimmed(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Public DNS through the JDK's DNS provider (the system's resolvers); no answer, a timeout or no DNS: empty. */
    static Optional<List<String>> publicNameServers(String zone) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        try {
            InitialDirContext dns = new InitialDirContext(env);
            try {
                Attribute ns = dns.getAttributes(zone, new String[] {"NS"}).get("NS");
                List<String> out = new ArrayList<>();
                if (ns != null) {
                    NamingEnumeration<?> values = ns.getAll();
                    while (values.hasMore()) {
                        out.add(String.valueOf(values.next()));
                    }
                }
                return Optional.of(out);
            } finally {
                dns.close();
            }
        } catch (javax.naming.NameNotFoundException e) {
            return Optional.of(List.of()); // the domain does not exist publicly: nothing delegates to the zone
        } catch (NamingException e) {
            return Optional.empty();
        }
    }
}
