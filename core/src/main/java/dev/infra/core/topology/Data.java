package dev.infra.core.topology;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.diag.SourceLocation;
import java.util.List;
import java.util.Map;

/** The seed's data, storage and observability components (§5, §6, Monitoring 1–4). */
public final class Data {

    private Data() {}

    public record Key(String name, String type) {}

    public record Index(String name, Key partitionKey, Key sortKey) {}

    /**
     * @param readCapacity, writeCapacity 0 when billing is on demand
     * @param billingAt where {@code billing:} is (the table's place when it is not given)
     */
    public record Table(String name, Key partitionKey, Key sortKey, boolean onDemand, int readCapacity, int writeCapacity,
                       List<Index> indexes, boolean pointInTimeRecovery, String ttlAttribute, boolean deletionProtection,
                       SourceLocation at, SourceLocation billingAt) {}

    /**
     * @param clientsFrom clusters whose nodes may reach the cache; nothing else can
     * @param global a Global Datastore across the stack's regions: replicas hold secondaries
     * @param nodeTypeAt where {@code nodeType:} is (the cache's place when it is not given)
     */
    public record Cache(String name, String engineVersion, String nodeType, int replicas, List<String> clientsFrom,
                        boolean global, SourceLocation at, SourceLocation nodeTypeAt) {}

    /**
     * One lifecycle rule for the objects under {@code prefix}: current versions move to {@code storageClass} after
     * {@code transitionDays} and are deleted after {@code expirationDays} (a delete marker, in a versioned bucket);
     * noncurrent versions (versioned buckets) move to {@code noncurrentStorageClass} {@code noncurrentTransitionDays}
     * after they became noncurrent and are deleted after {@code noncurrentExpirationDays}. 0 / null: not set.
     */
    public record LifecycleRule(String id, String prefix, int transitionDays, String storageClass, int expirationDays,
                                int noncurrentTransitionDays, String noncurrentStorageClass, int noncurrentExpirationDays) {}

    /**
     * @param bucketName the S3 name when given; else {@code <stack>-<name>-<region>} at expansion (S3 names are global)
     * @param replicate copied by S3 replication to its twin in each replica region
     * @param forceDestroy a delete may empty it first; else deleting it while it holds objects is refused
     */
    public record Bucket(String name, String bucketName, boolean versioning, boolean replicate, List<LifecycleRule> lifecycle,
                         boolean forceDestroy, SourceLocation at) {

        /**
         * The S3 name in {@code region}: given, or {@code <stack>-<name>-<region>} made unique with the stack's suffix
         * ({@code placement}). A given name belongs to the file's region; S3 names are global, so in another region it
         * gets that region as a suffix.
         */
        public String s3Name(String stack, String region, String fileRegion, Regions.Placement placement) {
            if (bucketName == null) {
                return AwsRules.BUCKET.fit(placement.unique(stack + "-" + name + "-" + region));
            }
            return region.equals(fileRegion) ? bucketName : bucketName + "-" + region;
        }
    }

    /** An instance in a private subnet running one container, its data on an encrypted volume of its own. */
    public record Service(String name, String image, String instanceType, int volumeSize, List<Integer> ports,
                          String zone, String ami, SourceLocation at) {

        public Service inZone(String newZone) {
            return new Service(name, image, instanceType, volumeSize, ports, newZone, ami, at);
        }
    }

    /**
     * @param loadBalancerLogs the load balancers' access logs to a bucket of their own; null: off
     * @param logArchive the region's log archive bucket and the sources written to it; null: off
     * @param instanceLogs which log groups the instances' logs go to; null: off
     */
    public record Monitoring(String trailBucket, Map<String, Integer> logGroups, boolean alarms, String guardDutyFrequency,
                             LogSearch logSearch, String athenaBucket, LoadBalancerLogs loadBalancerLogs,
                             LogArchive logArchive, InstanceLogs instanceLogs, SourceLocation at) {}

    /**
     * The CloudWatch agent on the instances: the proxies' (Squid, Teleport) logs to the log group {@code proxies}, the
     * services' (their containers') to {@code services}; each a key of {@code monitoring.logGroups}, null: not shipped.
     */
    public record InstanceLogs(String proxies, String services, SourceLocation at) {}

    /**
     * The region's log archive: a bucket of its own (SSE-KMS with the stack key) that the VPC's flow logs
     * ({@code flowLogs}), GuardDuty's findings ({@code guardDutyFindings}) and the stack's log groups ({@code logGroups},
     * through Firehose) are written to, kept {@code expirationDays}.
     */
    public record LogArchive(int expirationDays, boolean flowLogs, boolean guardDutyFindings, boolean logGroups,
                             SourceLocation at) {

        /** The region's archive: S3 names are global, so the name carries the region (a replica has its own). */
        public static String bucketName(String stack, String region) {
            return stack + "-logs-" + region;
        }
    }

    /** Every ALB's access logs to the region's log bucket, kept {@code expirationDays}. */
    public record LoadBalancerLogs(int expirationDays, SourceLocation at) {

        /** The region's log bucket: S3 names are global, so the name carries the region (a replica has its own). */
        public static String bucketName(String stack, String region) {
            return stack + "-lb-logs-" + region;
        }
    }

    /**
     * The ELK stack as an OpenSearch domain; its archive (snapshots) goes to {@code archiveBucket}; with
     * {@code publishLogs}, its application, index-slow and search-slow logs go to a CloudWatch log group.
     */
    public record LogSearch(String engineVersion, String instanceType, int instanceCount, int volumeSize,
                            String archiveBucket, boolean publishLogs) {}
}
