package dev.infra.core.topology;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** AWS's own rules for names the topology and the command line give: regions and S3 buckets. */
public final class AwsNames {

    /**
     * The regions of the aws, aws-cn and aws-us-gov partitions, as the AWS SDK's endpoints.json lists them (SDK
     * 2.40, December 2025). AWS opens regions faster than this list changes, so a well-formed name that is not on
     * it is only a warning: a topology for a region newer than infra still validates.
     */
    public static final Set<String> REGIONS = Set.of(
            "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
            "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
            "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
            "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
            "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
            "us-west-1", "us-west-2",
            "cn-north-1", "cn-northwest-1",
            "us-gov-east-1", "us-gov-west-1");

    /** How every partition names its regions: a 2-4 letter area, one or more words, a number (eusc-de-east-1). */
    static final Pattern REGION_FORM = Pattern.compile("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$");

    private static final Pattern BUCKET_CHARACTERS = Pattern.compile("^[a-z0-9.-]+$");
    private static final Pattern IP_ADDRESS = Pattern.compile("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private AwsNames() {}

    /** An error for what cannot be a region name, a warning for a well-formed name not (yet) on {@link #REGIONS}. */
    public static Optional<Shape.Finding> region(String name) {
        String suggestion = Names.didYouMean(name, REGIONS);
        if (!REGION_FORM.matcher(name).matches()) {
            return Shape.Finding.error("'" + name + "' is not an AWS region name such as us-east-1" + suggestion);
        }
        if (!REGIONS.contains(name)) {
            return Shape.Finding.warning("'" + name + "' is not a region infra knows" + suggestion
                    + " (if it is newer than this version of infra, ignore this)");
        }
        return Optional.empty();
    }

    /** S3's naming rules for general purpose buckets: an error, or empty when {@code name} follows them. */
    public static Optional<Shape.Finding> bucket(String name) {
        return bucketProblem(name).flatMap(p -> Shape.Finding.error("'" + name + "' is not an S3 bucket name: it " + p));
    }

    /** Which of S3's naming rules {@code name} breaks, as the end of a sentence about it ("has 70 characters…"). */
    static Optional<String> bucketProblem(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return Optional.of("has " + name.length() + " characters, not 3 to 63");
        } else if (!BUCKET_CHARACTERS.matcher(name).matches()) {
            return Optional.of("may hold only lower-case letters, digits, dots and dashes");
        } else if (!Character.isLetterOrDigit(name.charAt(0)) || !Character.isLetterOrDigit(name.charAt(name.length() - 1))) {
            return Optional.of("must begin and end with a letter or a digit");
        } else if (name.contains("..")) {
            return Optional.of("must not hold two adjacent dots");
        } else if (IP_ADDRESS.matcher(name).matches()) {
            return Optional.of("must not look like an IP address");
        }
        return RESERVED_PREFIXES.stream().filter(name::startsWith).findFirst()
                .map(p -> "must not start with '" + p + "', which S3 reserves")
                .or(() -> RESERVED_SUFFIXES.stream().filter(name::endsWith).findFirst()
                        .map(s -> "must not end with '" + s + "', which S3 reserves"));
    }
}
