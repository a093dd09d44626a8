package dev.infra.core.catalogue;

import dev.infra.core.catalogue.Rule.Forbidden;
import dev.infra.core.catalogue.Rule.Text;

/**
 * AWS's rules for the names and texts infra sends, each from its API reference. The providers' catalogue entries
 * attach them to attributes; the expansion fits the names it derives to them ({@link Text#fit}).
 */
public final class AwsRules {

    private static final String ALNUM_HYPHEN = "a-zA-Z0-9-";
    private static final String ALNUM_HYPHEN_WORDS = "letters, digits and hyphens";
    private static final Forbidden EDGE_HYPHEN = Forbidden.of("^-|-$", "must not begin or end with a hyphen");
    private static final Forbidden DOUBLE_HYPHEN = Forbidden.of("--", "must not hold two adjacent hyphens");
    private static final String IAM = "\\w+=,.@-";
    private static final String IAM_WORDS = "letters, digits and + = , . @ _ -";

    /** ELBv2 CreateLoadBalancer Name. */
    public static final Text LOAD_BALANCER = Text.of("load balancer name", 1, 32, ALNUM_HYPHEN, ALNUM_HYPHEN_WORDS,
            EDGE_HYPHEN, Forbidden.of("^internal-", "must not begin with 'internal-'"));
    /** ELBv2 CreateTargetGroup Name. */
    public static final Text TARGET_GROUP = Text.of("target group name", 1, 32, ALNUM_HYPHEN, ALNUM_HYPHEN_WORDS,
            EDGE_HYPHEN);
    /** OpenSearch CreateDomain DomainName. */
    public static final Text OPENSEARCH_DOMAIN = Text.of("OpenSearch domain name", 3, 28, "a-z0-9-",
            "lower-case letters, digits and hyphens", Forbidden.of("^[^a-z]", "must begin with a lower-case letter"));
    /** ElastiCache CreateReplicationGroup ReplicationGroupId. */
    public static final Text REPLICATION_GROUP = Text.of("replication group id", 1, 40, ALNUM_HYPHEN,
            ALNUM_HYPHEN_WORDS, Forbidden.of("^[^a-zA-Z]", "must begin with a letter"), DOUBLE_HYPHEN,
            Forbidden.of("-$", "must not end with a hyphen"));
    /** ElastiCache CreateCacheSubnetGroup CacheSubnetGroupName. */
    public static final Text CACHE_SUBNET_GROUP = Text.of("cache subnet group name", 1, 255, ALNUM_HYPHEN,
            ALNUM_HYPHEN_WORDS);
    /** IAM CreateRole RoleName. */
    public static final Text IAM_ROLE = Text.of("IAM role name", 1, 64, IAM, IAM_WORDS);
    /** IAM CreateInstanceProfile InstanceProfileName. */
    public static final Text INSTANCE_PROFILE = Text.of("instance profile name", 1, 128, IAM, IAM_WORDS);
    /** S3 "General purpose bucket naming rules". */
    public static final Text BUCKET = Text.of("bucket name", 3, 63, "a-z0-9.-",
            "lower-case letters, digits, dots and hyphens",
            Forbidden.of("^[^a-z0-9]|[^a-z0-9]$", "must begin and end with a letter or a digit"),
            Forbidden.of("\\.\\.", "must not hold two adjacent dots"),
            Forbidden.of("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", "must not look like an IP address"),
            Forbidden.of("^(xn--|sthree-|amzn-s3-demo-)", "must not begin with a prefix S3 reserves"),
            Forbidden.of("(-s3alias|--ol-s3|\\.mrap|--x-s3|--table-s3)$", "must not end with a suffix S3 reserves"));
    /** EKS CreateCluster name. */
    public static final Text EKS_CLUSTER = Text.of("EKS cluster name", 1, 100, "a-zA-Z0-9_-",
            "letters, digits, hyphens and underscores", Forbidden.of("^[^a-zA-Z0-9]", "must begin with a letter or a digit"));
    /** EKS CreateNodegroup nodegroupName. */
    public static final Text NODE_GROUP = Text.of("node group name", 1, 63, "a-zA-Z0-9_-",
            "letters, digits, hyphens and underscores", Forbidden.of("^[^a-zA-Z0-9]", "must begin with a letter or a digit"));
    /** CloudTrail CreateTrail Name. */
    public static final Text TRAIL = Text.of("trail name", 3, 128, "a-zA-Z0-9._-",
            "letters, digits, periods, underscores and hyphens",
            Forbidden.of("^[^a-zA-Z0-9]|[^a-zA-Z0-9]$", "must begin and end with a letter or a digit"),
            Forbidden.of("[._-]{2}", "must not hold adjacent periods, underscores or hyphens"));
    /** EC2 CreateSecurityGroup GroupDescription, and the descriptions of its rules. */
    public static final Text SECURITY_GROUP_DESCRIPTION = Text.of("security group description", 0, 255,
            "a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*", "a-z, A-Z, 0-9, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *");
    /** EC2 CreateSecurityGroup GroupName (in a VPC: the description's characters). */
    public static final Text SECURITY_GROUP_NAME = Text.of("security group name", 1, 255,
            "a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*", "a-z, A-Z, 0-9, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *",
            Forbidden.of("^sg-", "must not begin with 'sg-'"));
    /** EC2 CreateLaunchTemplate LaunchTemplateName. */
    public static final Text LAUNCH_TEMPLATE = Text.of("launch template name", 3, 128, "a-zA-Z0-9().\\-/_",
            "letters, digits and ( ) . - / _");
    /** Auto Scaling CreateAutoScalingGroup AutoScalingGroupName, PutScalingPolicy PolicyName. */
    public static final Text AUTO_SCALING_NAME = Text.of("Auto Scaling name", 1, 255, "\\x20-\\x7E",
            "printable ASCII characters");
    /** DynamoDB CreateTable TableName. */
    public static final Text TABLE = Text.of("table name", 3, 255, "a-zA-Z0-9_.-",
            "letters, digits, underscores, hyphens and periods");
    /** SNS CreateTopic Name. */
    public static final Text TOPIC = Text.of("topic name", 1, 256, "a-zA-Z0-9_-",
            "letters, digits, underscores and hyphens");
    /** CloudWatch Logs CreateLogGroup logGroupName. */
    public static final Text LOG_GROUP = Text.of("log group name", 1, 512, "a-zA-Z0-9._/#-",
            "letters, digits and . _ - / #");
    /** CloudWatch PutMetricAlarm AlarmName. */
    public static final Text ALARM = Text.of("alarm name", 1, 255, "\\x20-\\x7E", "printable ASCII characters");
    /** Secrets Manager CreateSecret Name. */
    public static final Text SECRET = Text.of("secret name", 1, 512, "a-zA-Z0-9/_+=.@-",
            "letters, digits and / _ + = . @ -");
    /** KMS CreateAlias AliasName. */
    public static final Text KMS_ALIAS = Text.of("alias name", 7, 256, "a-zA-Z0-9/_-",
            "letters, digits and / _ -", Forbidden.of("^(?!alias/)", "must begin with 'alias/'"),
            Forbidden.of("^alias/aws/", "must not begin with 'alias/aws/', which AWS reserves"));
    /** WAFv2 CreateWebACL Name. */
    public static final Text WEB_ACL = Text.of("web ACL name", 1, 128, "a-zA-Z0-9_-",
            "letters, digits, underscores and hyphens");
    /** Athena CreateWorkGroup Name. */
    public static final Text WORKGROUP = Text.of("workgroup name", 1, 128, "a-zA-Z0-9._-",
            "letters, digits, periods, underscores and hyphens");
    /** Glue CreateDatabase / CreateTable Name (single-line string pattern). */
    public static final Text GLUE_NAME = Text.of("Glue catalog name", 1, 255, "\\x20-\\x7E",
            "printable ASCII characters");

    private AwsRules() {}
}
