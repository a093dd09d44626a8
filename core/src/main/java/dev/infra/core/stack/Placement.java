package dev.infra.core.stack;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.state.State;
import dev.infra.core.topology.Cidrs;
import dev.infra.core.topology.Regions;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the stack is: which regions a request covers and the topology each is planned with (a primary knowing its
 * replicas, a copy, a replica in its VPC block and zones). Decided from the file's topology, the regions' states (the
 * replicas a primary lists, the primary a replica names) and the zones each region has. Pure: no locks, no state
 * writes, nothing but the two lookups it is given; {@link StackEngine} does the rest.
 */
public final class Placement {

    /** The region catalogue: a region's availability zones, e.g. {@code [eu-west-1a, eu-west-1b]}. */
    @FunctionalInterface
    public interface Zones {
        List<String> in(String region);
    }

    /** A region's state as it is (an empty one where the stack was never applied). */
    @FunctionalInterface
    public interface States {
        State of(String region);
    }

    /** A region to plan: its topology as planned there, placement included. */
    public record Target(String region, Topology topology) {
        public boolean replica() {
            return topology.replica();
        }
    }

    /**
     * What {@code replicate} plans: the primary knowing every replica, the new (or re-planned) replica, and the record
     * of it the primary's state keeps so that its block and zones stay as first chosen.
     */
    public record Replication(Target primary, Target replica, State.Replica record) {}

    private final Topology file;
    private final States states;
    private final Zones zones;

    private Placement(Topology file, States states, Zones zones) {
        this.file = file;
        this.states = states;
        this.zones = zones;
    }

    /** @param file the topology as the file has it, in its own region */
    public static Placement of(Topology file, States states, Zones zones) {
        return new Placement(file, states, zones);
    }

    /** The regions {@code request} covers, the primary first. */
    public List<Target> targets(StackRequest.Plannable request) {
        List<Target> targets = request.scope() instanceof StackRequest.OneRegion one
                ? List.of(region(one.region(), request instanceof StackRequest.Destroy))
                : stack();
        // A destroy takes away what is there, whatever the topology says of certificates.
        if (request instanceof StackRequest.Apply) {
            checkCertificates(targets);
        }
        return targets;
    }

    /**
     * {@code replicate}: its VPC block and zones as the primary's state records them, else chosen now; refused from a
     * replica, to another primary's replica, or to a region holding a copy of its own.
     */
    public Replication replicate(StackRequest.Replicate request) {
        String primary = request.from();
        String to = request.to();
        Topology pt = placed(primary);
        State ps = states.of(primary);
        if (ps.primary() != null) {
            throw invalid(primary + " is itself a replica of " + ps.primary() + ": replicate from "
                    + ps.primary() + " (--from " + ps.primary() + ")");
        }
        State rs = states.of(to);
        if (rs.primary() != null && !rs.primary().equals(primary)) {
            throw invalid(to + " is already a replica of " + rs.primary());
        }
        if (rs.primary() == null && !rs.resources().isEmpty()) {
            throw invalid(to + " holds an independent copy of the stack (" + rs.resources().size()
                    + " resources): destroy it first (infra destroy --region " + to + ")");
        }
        State.Replica replica = ps.replicas().stream().filter(r -> r.region().equals(to)).findFirst()
                .orElseGet(() -> newReplica(pt, to, ps.replicas()));
        List<State.Replica> all = new ArrayList<>(ps.replicas());
        all.removeIf(r -> r.region().equals(to));
        all.add(replica);
        Target p = new Target(primary, pt.withReplicas(regions(all)).named(ps.nameSuffix()));
        Target r = replicaTarget(p.topology(), all, replica);
        checkCertificates(List.of(p, r));
        return new Replication(p, r, replica);
    }

    /** The whole stack: the file's region and the replicas its state lists. */
    private List<Target> stack() {
        State ps = states.of(file.region());
        if (ps.primary() != null) {
            throw invalid("the state of " + file.region() + " says it is a replica of " + ps.primary()
                    + ": plan it with --region " + file.region());
        }
        List<Target> out = new ArrayList<>();
        Topology primary = file.withReplicas(regions(ps.replicas())).named(ps.nameSuffix());
        out.add(new Target(file.region(), primary));
        ps.replicas().forEach(r -> out.add(replicaTarget(primary, ps.replicas(), r)));
        return out;
    }

    /** One region: a copy, or the replica its state says it is (as its primary's state records it). */
    private Target region(String region, boolean destroying) {
        Topology copy = placed(region);
        State s = states.of(region);
        if (s.primary() == null) {
            if (destroying && !s.replicas().isEmpty()) {
                throw invalid(region + " has replicas (" + String.join(", ", regions(s.replicas()))
                        + "): destroy them first with --region, or destroy the whole stack without --region");
            }
            return new Target(region, copy.withReplicas(regions(s.replicas())).named(s.nameSuffix()));
        }
        Topology pt = placed(s.primary());
        State ps = states.of(s.primary());
        State.Replica record = ps.replicas().stream().filter(r -> r.region().equals(region)).findFirst()
                .orElseThrow(() -> invalid("the state of " + region + " says it replicates " + s.primary()
                        + ", but " + s.primary() + "'s state does not list it: run infra replicate --to " + region));
        return replicaTarget(pt.named(ps.nameSuffix()), ps.replicas(), record);
    }

    /**
     * A replica as its primary's state records it; the topology's {@code regions.R} settings, when given, win. Its
     * names end with the primary's suffix ({@code primary} is named), so the primary can name the replica's buckets.
     */
    private static Target replicaTarget(Topology primary, List<State.Replica> all, State.Replica r) {
        Regions.Settings s = primary.regions().get(r.region());
        String cidr = s != null && s.cidr() != null ? s.cidr() : r.cidr();
        List<String> zones = s != null && s.zones() != null ? s.zones() : r.zones();
        return new Target(r.region(), primary.asReplica(r.region(), cidr, zones, regions(all)));
    }

    private static List<String> regions(List<State.Replica> replicas) {
        return replicas.stream().map(State.Replica::region).toList();
    }

    /**
     * A new replica's network: the topology's {@code regions.R} settings, else a VPC block overlapping no other
     * region's (so the regions can be peered later) and the primary's zone letters where R has them all, else R's
     * first zones.
     */
    private State.Replica newReplica(Topology pt, String to, List<State.Replica> existing) {
        if (pt.network() == null) {
            return new State.Replica(to, null, List.of());
        }
        Regions.Settings settings = pt.regions().get(to);
        String cidr = settings != null && settings.cidr() != null ? settings.cidr() : null;
        if (cidr == null) {
            List<String> taken = new ArrayList<>();
            taken.add(pt.network().cidr());
            existing.forEach(r -> taken.add(r.cidr()));
            pt.regions().values().stream().filter(s -> s.cidr() != null && !s.region().equals(to)).forEach(s -> taken.add(s.cidr()));
            cidr = Cidrs.firstFree(pt.network().cidr(), taken).orElseThrow(() -> invalid("no free block like "
                    + pt.network().cidr() + " is left for " + to + ": give one in regions." + to + ".network.cidr"));
        }
        return new State.Replica(to, cidr, zonesIn(pt, to));
    }

    /** The topology in {@code region}: the file's own, or a copy there (its zones looked up in that region). */
    private Topology placed(String region) {
        return region.equals(file.fileRegion()) ? file : file.inRegion(region, zonesIn(file, region));
    }

    /**
     * The network's zones in {@code region}: {@code regions.R.network.zones}, else the same letters when the region has
     * them all, else its first zones (mapped by position).
     */
    private List<String> zonesIn(Topology t, String region) {
        Regions.Settings settings = t.regions().get(region);
        if (settings != null && settings.zones() != null) {
            return settings.zones();
        }
        if (t.network() == null) {
            return null;
        }
        List<String> available = zones.in(region).stream().map(z -> z.substring(region.length())).sorted().toList();
        List<String> wanted = t.network().zones();
        if (available.containsAll(wanted)) {
            return wanted;
        }
        if (available.size() < wanted.size()) {
            throw InvalidInputException.of(Diagnostic.error(t.network().at(), "network.zones", "the network spans "
                    + wanted.size() + " zones but " + region + " has " + available.size() + " (" + String.join(", ", available)
                    + "): give regions." + region + ".network.zones, or fewer zones"));
        }
        return available.subList(0, wanted.size());
    }

    /**
     * A copy or replica keeps the file's certificates (binding checked they are in its region) unless
     * {@code regions.R.certificates} gives R's own: refused here, before anything is locked or planned.
     */
    private static void checkCertificates(List<Target> targets) {
        List<Diagnostic> wrong = new ArrayList<>();
        targets.forEach(x -> x.topology().loadBalancers().values()
                .forEach(lb -> lb.certificateOutside(x.region()).ifPresent(wrong::add)));
        if (!wrong.isEmpty()) {
            throw new InvalidInputException(wrong);
        }
    }

    private InvalidInputException invalid(String message) {
        return InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(file.file()), "", message));
    }
}
