package dev.infra.cli;

import dev.infra.providers.AwsSettings;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes (mixed into each, so they go after the command name). */
public final class GlobalOptions {

    static final String DEFAULT_FILE = "infra.yaml";
    static final String DEFAULT_STATE_DIR = ".infra";

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = DEFAULT_FILE,
            description = "Topology file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region to work in; overrides the topology's 'region'.")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile from the shared config files (default: the SDK chain, AWS_PROFILE).")
    String profile;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every AWS call to this endpoint (an emulator); AWS_ENDPOINT_URL works too.")
    URI endpointUrl;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = DEFAULT_STATE_DIR,
            description = "Directory of the local state and lock files (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--backend-bucket", paramLabel = "BUCKET",
            description = "Keep the state in this S3 bucket (versioned, encrypted); overrides backend.s3.bucket.")
    String backendBucket;

    @Option(names = "--backend-lock-table", paramLabel = "TABLE",
            description = "Lock with an item of this DynamoDB table (partition key LockID); overrides backend.s3.lockTable.")
    String backendLockTable;

    @Option(names = "--helm", paramLabel = "PATH",
            description = "The Helm 3 binary that installs the clusters' Cilium and NGINX ingress (default: helm on PATH).")
    Path helm;

    @Option(names = "--no-color", description = "No ANSI colours (also when NO_COLOR is set).")
    boolean noColor;

    @Option(names = {"-v", "--verbose"}, description = "Log every AWS request on stderr.")
    boolean verbose;

    @Option(names = "--stacktrace", description = "Show the stack trace of an unexpected error.")
    boolean stacktrace;

    @Option(names = "--stats", description = "Print the AWS API calls made, per service and operation, at the end (stderr).")
    boolean stats;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "" + AwsSettings.DEFAULT_MAX_ATTEMPTS,
            description = "Attempts per AWS call: throttling is always retried, 5xx and lost answers where safe,"
                    + " with exponential backoff and jitter (default: ${DEFAULT-VALUE}).")
    int maxAttempts;
}
