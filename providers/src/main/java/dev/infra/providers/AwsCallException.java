package dev.infra.providers;

import dev.infra.core.provider.ProviderException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One failed SDK call, with the operation's name and AWS's error code, so that providers can decide
 * (NotFound → gone, DependencyViolation → retry) before turning it into a {@link ProviderException}.
 */
public final class AwsCallException extends RuntimeException {

    private static final Set<String> ALREADY_EXISTS = Set.of("ResourceInUseException", "ResourceExistsException");
    private static final List<String> ALREADY_EXISTS_PARTS = List.of("AlreadyExists", "Duplicate", "AlreadyOwnedByYou",
            "AlreadyAssociated");

    private final String operation;
    private final String code;
    private final int statusCode;
    /** AWS's message (or the client's), without the operation and code. */
    private final String detail;
    private final boolean mayHaveRun;

    private AwsCallException(String operation, String code, int statusCode, String message, Throwable cause,
                             boolean mayHaveRun) {
        super(operation + " failed: " + (code == null ? "" : code + ": ") + message, cause);
        this.operation = operation;
        this.code = code;
        this.statusCode = statusCode;
        this.detail = message;
        this.mayHaveRun = mayHaveRun;
    }

    /** Runs one SDK call, turning its failure into an {@code AwsCallException} naming {@code operation}. */
    public static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                    ? e.getMessage()
                    : e.awsErrorDetails().errorMessage();
            throw new AwsCallException(operation, code, e.statusCode(), message, e, RetryPolicy.mayHaveRun(e));
        } catch (SdkException e) {
            throw new AwsCallException(operation, null, 0, clientMessage(e), e, RetryPolicy.mayHaveRun(e));
        }
    }

    /**
     * The SDK's own failure in one readable line. Its message for missing credentials lists every provider of the
     * chain and why each failed, a few hundred characters that bury the fix.
     */
    static String clientMessage(SdkException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.startsWith("Unable to load credentials from any of the providers in the chain")) {
            return "no AWS credentials found (environment, shared config and credentials files, SSO, container or"
                    + " instance role): set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
        }
        return message;
    }

    /**
     * {@link #call} for a call that sends or returns a secret value (a password, an AUTH token): its failure never
     * carries {@code secret}. The message has it masked, and the SDK's exception is left out when its messages hold it;
     * operation, code and status stay, so callers decide as for any failure.
     */
    public static <T> T callWithSecret(String operation, String secret, Supplier<T> call) {
        try {
            return call(operation, call);
        } catch (AwsCallException e) {
            throw e.without(secret);
        }
    }

    private AwsCallException without(String secret) {
        if (secret == null || secret.isEmpty() || !mentions(this, secret)) {
            return this;
        }
        String masked = detail == null ? null : detail.replace(secret, "***");
        return new AwsCallException(operation, code, statusCode, masked, mentions(getCause(), secret) ? null : getCause(),
                mayHaveRun);
    }

    /** Whether {@code t}, its causes or what they suppressed (earlier attempts) say {@code secret}. */
    private static boolean mentions(Throwable t, String secret) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c).contains(secret)) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (mentions(s, secret)) {
                    return true;
                }
            }
        }
        return false;
    }

    public String operation() {
        return operation;
    }

    /** AWS's error code, e.g. {@code InvalidVpcID.NotFound}; {@code null} when no response came back. */
    public String code() {
        return code;
    }

    /** The HTTP status of AWS's answer; 0 when none came back (connection failed, timed out). */
    public int statusCode() {
        return statusCode;
    }

    /**
     * Whether the failed call may nonetheless have run ({@link RetryPolicy#mayHaveRun}: a 5xx, a timeout, a connection
     * lost mid-call). A create that failed so must look for what it may have made before it tries again.
     */
    public boolean mayHaveRun() {
        return mayHaveRun;
    }

    /**
     * Whether AWS said what the call would make exists already ({@code RouteAlreadyExists}, {@code
     * DuplicateTargetGroupName}, {@code InvalidPermission.Duplicate}, {@code EntityAlreadyExists}, {@code
     * BucketAlreadyOwnedByYou}, {@code ResourceInUseException}, {@code Resource.AlreadyAssociated}…).
     */
    public boolean isAlreadyExists() {
        return code != null && (ALREADY_EXISTS.contains(code) || ALREADY_EXISTS_PARTS.stream().anyMatch(code::contains));
    }

    /** Whether AWS said the thing named does not exist ({@code InvalidVpcID.NotFound}, {@code NatGatewayNotFound}…). */
    public boolean isNotFound() {
        return code != null && code.endsWith("NotFound");
    }

    public ProviderException toProviderException(String address) {
        return new ProviderException(address, getMessage(), getCause());
    }
}
