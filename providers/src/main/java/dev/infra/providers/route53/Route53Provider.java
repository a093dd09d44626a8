package dev.infra.providers.route53;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;

/**
 * What the Route 53 types share: the one global client, NoSuchHostedZone meaning "gone", submitting a change and
 * waiting until it is {@code INSYNC}, and zone ids and DNS names as Route 53 spells them (ids with or without
 * {@code /hostedzone/}, names with a trailing dot and special characters escaped as {@code \ddd}).
 */
public abstract class Route53Provider extends AwsResourceProvider {

    /** Route 53 usually propagates a change to all its DNS servers within 60 seconds. */
    static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration CHANGE_INTERVAL = Duration.ofSeconds(5);
    /** How long a change is submitted again while Route 53 is busy with an earlier one (PriorRequestNotComplete). */
    static final Duration BUSY_TIMEOUT = Duration.ofMinutes(5);
    static final Duration BUSY_INTERVAL = Duration.ofSeconds(5);
    static final String NO_SUCH_ZONE = "NoSuchHostedZone";
    private static final String BUSY = "PriorRequestNotComplete";

    protected Route53Provider(AwsClients clients, String type, boolean tagged, Set<String> updatable,
                              Set<String> computed) {
        super(clients, type, tagged, updatable, computed);
    }

    protected final Route53Client route53() {
        return clients().route53();
    }

    /** A zone that is gone takes its records with it. */
    @Override
    protected boolean isGone(AwsCallException e) {
        return NO_SUCH_ZONE.equals(e.code());
    }

    /** Waits until the change AWS answered with has reached every Route 53 DNS server ({@code GetChange} → INSYNC). */
    final void awaitInSync(ChangeInfo change, OperationContext ctx) {
        if (change == null || change.status() == ChangeStatus.INSYNC) {
            return;
        }
        String id = lastSegment(change.id());
        ctx.await("Route 53 change " + id + " to be INSYNC", CHANGE_TIMEOUT, CHANGE_INTERVAL, () -> {
            ChangeInfo now = call("GetChange", () -> route53().getChange(b -> b.id(id))).changeInfo();
            return now.status() == ChangeStatus.INSYNC ? Optional.of(now) : Optional.empty();
        });
    }

    /**
     * Submits a change and waits until it is INSYNC. While Route 53 is still applying an earlier change to the zone it
     * answers PriorRequestNotComplete: the change is submitted again, for a bounded time.
     */
    final void change(OperationContext ctx, String what, Supplier<ChangeInfo> submit) {
        awaitInSync(retrying(ctx, what, BUSY_TIMEOUT, BUSY_INTERVAL, e -> BUSY.equals(e.code()), submit), ctx);
    }

    /** A zone id without its {@code /hostedzone/} prefix (the SDK strips it from answers; state may hold either). */
    static String zoneId(String id) {
        return lastSegment(id);
    }

    private static String lastSegment(String id) {
        return id == null ? null : id.substring(id.lastIndexOf('/') + 1);
    }

    /** A DNS name as an FQDN: with its trailing dot. */
    static String fqdn(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /**
     * A name as Route 53 reports it, made readable: Route 53 answers with special characters as {@code \ddd} octal
     * escapes ({@code *.example.com.} comes back as {@code \052.example.com.}).
     */
    static String unescape(String name) {
        if (name == null || name.indexOf('\\') < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' && isOctal(name, i + 1, 3)) {
                out.append((char) Integer.parseInt(name.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /** Whether two DNS names are the same name: case-insensitive, escapes and a trailing dot aside. */
    static boolean sameName(String a, String b) {
        return a != null && b != null
                && fqdn(unescape(a)).toLowerCase(Locale.ROOT).equals(fqdn(unescape(b)).toLowerCase(Locale.ROOT));
    }
}
