package dev.infra.core.topology;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YNode.YMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The S3 buckets a stack makes, and so destroys: its {@code buckets}, the WAF log bucket and the load balancers' log
 * bucket, each named per region (S3 names are global).
 */
public final class StackBuckets {

    private StackBuckets() {}

    /**
     * One of the stack's buckets in one region.
     *
     * @param given the name is written in the file as it is (the shape check has looked at it)
     */
    private record Owned(String s3Name, String path, SourceLocation at, boolean given) {}

    /** A bucket whose name in {@code region} breaks S3's rules. */
    private record Broken(Owned bucket, String region, String problem) {}

    /**
     * Which of the stack's buckets is named {@code bucket}, in any region the stack may span: the file's, those under
     * {@code regions:}, and every region AWS has (a replica may go to any); empty when none is.
     */
    public static Optional<String> owner(Topology t, String bucket) {
        Set<String> regions = new LinkedHashSet<>(List.of(t.fileRegion()));
        regions.addAll(t.regions().keySet());
        regions.addAll(new TreeSet<>(AwsNames.REGIONS));
        for (String region : regions) {
            for (Owned o : in(t, region)) {
                if (o.s3Name().equals(bucket)) {
                    return Optional.of(o.path() + (region.equals(t.fileRegion()) ? "" : " in " + region));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The checks of a bound topology: the names infra makes (or suffixes with another region) are names S3 takes, in
     * the file's region and those under {@code regions:}; the state bucket is none of the stack's own.
     */
    static void check(YMap root, Topology t, Diagnostics diags) {
        Set<String> regions = new LinkedHashSet<>(List.of(t.fileRegion()));
        regions.addAll(t.regions().keySet());
        // One error per bucket, in the first region where its name breaks a rule, the others named after it.
        Map<String, List<Broken>> broken = new LinkedHashMap<>();
        for (String region : regions) {
            for (Owned o : in(t, region)) {
                if (!o.given() || !region.equals(t.fileRegion())) {
                    AwsNames.bucketProblem(o.s3Name()).ifPresent(p ->
                            broken.computeIfAbsent(o.path(), k -> new ArrayList<>()).add(new Broken(o, region, p)));
                }
            }
        }
        broken.values().forEach(all -> {
            Broken b = all.get(0);
            String others = all.stream().skip(1).map(Broken::region).collect(Collectors.joining(", "));
            diags.error(b.bucket().at(), b.bucket().path(), "its S3 name in " + b.region() + ", '" + b.bucket().s3Name()
                    + "', " + b.problem() + (others.isEmpty() ? "" : " (in " + others + " too)"));
        });
        YNode bucket = root.get("backend") instanceof YMap b && b.get("s3") instanceof YMap s3 ? s3.get("bucket") : null;
        if (bucket != null) {
            String name = TopologyLoader.text(bucket);
            owner(t, name).ifPresent(o -> diags.error(bucket.at(), "backend.s3.bucket", "'" + name + "' is the stack's own"
                    + " bucket " + o + ": keep the state in a bucket made apart from the stack, or a destroy would delete"
                    + " the state with it"));
        }
    }

    private static List<Owned> in(Topology t, String region) {
        List<Owned> out = new ArrayList<>();
        t.buckets().values().forEach(b -> out.add(new Owned(b.s3Name(t.stack(), region, t.fileRegion(), Regions.Placement.single(region)),
                "buckets." + b.name(), b.at(), b.bucketName() != null)));
        if (t.firewall() != null) {
            out.add(new Owned(t.firewall().logBucket(t.stack(), region, t.fileRegion()), "firewall.logBucket",
                    t.firewall().at(), t.firewall().logBucket() != null));
        }
        if (t.monitoring() != null && t.monitoring().loadBalancerLogs() != null) {
            out.add(new Owned(Data.LoadBalancerLogs.bucketName(t.stack(), region), "monitoring.loadBalancerLogs",
                    t.monitoring().loadBalancerLogs().at(), false));
        }
        return out;
    }
}
