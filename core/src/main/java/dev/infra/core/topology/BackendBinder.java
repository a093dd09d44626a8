package dev.infra.core.topology;

import static dev.infra.core.topology.TopologyLoader.text;

import dev.infra.core.yaml.YNode.YMap;

/** Binds {@code backend:}; that the state bucket is none of the stack's own is checked by {@link StackBuckets}. */
final class BackendBinder {

    private BackendBinder() {}

    /** The backend, or {@code null} when {@code s3:} is missing (the shape check has said so). */
    static Backend bind(YMap backend, String region) {
        if (!(backend.get("s3") instanceof YMap s3)) {
            return null;
        }
        return new Backend(new Backend.S3(text(s3.get("bucket")), text(s3.get("prefix"), ""), text(s3.get("lockTable")),
                text(s3.get("region"), region), s3.at()));
    }
}
