package dev.infra.core.topology;

import static dev.infra.core.topology.TopologyLoader.text;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.topology.Data.Bucket;
import dev.infra.core.yaml.YNode.YMap;
import java.util.Map;

/** Binds {@code backend:} and checks it against the rest of the topology. */
final class BackendBinder {

    private BackendBinder() {}

    static Backend bind(YMap backend, String stack, String region, Map<String, Bucket> buckets, Diagnostics diags) {
        YMap s3 = (YMap) backend.get("s3");
        String bucket = text(s3.get("bucket"));
        // A stack must not own the bucket that holds its state: its destroy would delete its own history. (Derived names
        // are compared without the suffix the state gives them, which is not known here: as a stack of before had them.)
        buckets.values().stream()
                .filter(b -> b.s3Name(stack, region, region, Regions.Placement.single(region)).equals(bucket))
                .findFirst()
                .ifPresent(b -> diags.error(s3.get("bucket").at(), "backend.s3.bucket", "'" + bucket
                        + "' is the stack's own bucket buckets." + b.name() + ": keep the state in a bucket made apart from"
                        + " the stack, or a destroy would delete the state with it"));
        return new Backend(new Backend.S3(bucket, text(s3.get("prefix"), ""), text(s3.get("lockTable")),
                text(s3.get("region"), region), s3.at()));
    }
}
