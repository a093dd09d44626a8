package dev.infra.core.topology;

import dev.infra.core.diag.SourceLocation;

/**
 * Where the stack's state lives when a team shares it ({@code backend:}); absent, the state is local (the CLI's
 * {@code --state-dir}).
 */
public record Backend(S3 s3) {

    /**
     * State in {@code s3://<bucket>/<prefix>/<stack>/<region>.json}.
     *
     * @param prefix key prefix without leading or trailing slash; empty for none
     * @param lockTable DynamoDB table holding the lock item; {@code null}: a lock object beside the state, taken with
     *     an S3 conditional write
     * @param region where the bucket (and the table) are: given, or the topology's own region — not the one
     *     {@code --region} picks, since one bucket serves every region of the stack
     */
    public record S3(String bucket, String prefix, String lockTable, String region, SourceLocation at) {}
}
