package dev.infra.core.topology;

/**
 * The AWS partition a region belongs to: what its ARNs start with ({@code arn:aws-cn:…}) and the DNS suffix of its
 * endpoints and service principals. AWS General Reference, "Amazon Resource Names (ARNs)" and the SDK's
 * endpoints.json: the China regions ({@code cn-*}) are {@code aws-cn} under {@code amazonaws.com.cn}, the GovCloud
 * regions ({@code us-gov-*}) {@code aws-us-gov} under {@code amazonaws.com}, every other region {@code aws}.
 *
 * @param name the partition, as ARNs carry it
 * @param dnsSuffix the domain of the partition's endpoints and service principals
 */
public record Partition(String name, String dnsSuffix) {

    public static final Partition AWS = new Partition("aws", "amazonaws.com");
    public static final Partition CHINA = new Partition("aws-cn", "amazonaws.com.cn");
    public static final Partition GOV_CLOUD = new Partition("aws-us-gov", "amazonaws.com");

    /** The partition of {@code region}. */
    public static Partition of(String region) {
        return region.startsWith("cn-") ? CHINA : region.startsWith("us-gov-") ? GOV_CLOUD : AWS;
    }

    /** {@code arn:<partition>:<service>:<region>:<account>:<resource>}; region and account may be empty (S3, IAM). */
    public String arn(String service, String region, String account, String resource) {
        return "arn:" + name + ":" + service + ":" + region + ":" + account + ":" + resource;
    }

    /** The principal of {@code service} in policies ({@code cloudtrail} → {@code cloudtrail.amazonaws.com}). */
    public String servicePrincipal(String service) {
        return service + "." + dnsSuffix;
    }
}
