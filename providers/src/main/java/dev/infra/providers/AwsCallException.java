package dev.infra.providers;

import dev.infra.core.provider.ProviderException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One failed SDK call, with the operation's name and AWS's error code, so that providers can decide
 * (NotFound → gone, DependencyViolation → retry) before turning it into a {@link ProviderException}.
 */
public final class AwsCallException extends RuntimeException {

    private final String operation;
    private final String code;

    private AwsCallException(String operation, String code, String message, Throwable cause) {
        super(operation + " failed: " + (code == null ? "" : code + ": ") + message, cause);
        this.operation = operation;
        this.code = code;
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
            throw new AwsCallException(operation, code, message, e);
        } catch (SdkException e) {
            throw new AwsCallException(operation, null, e.getMessage(), e);
        }
    }

    public String operation() {
        return operation;
    }

    /** AWS's error code, e.g. {@code InvalidVpcID.NotFound}; {@code null} when no response came back. */
    public String code() {
        return code;
    }

    /** Whether AWS said the thing named does not exist ({@code InvalidVpcID.NotFound}, {@code NatGatewayNotFound}…). */
    public boolean isNotFound() {
        return code != null && code.endsWith("NotFound");
    }

    public ProviderException toProviderException(String address) {
        return new ProviderException(address, getMessage(), getCause());
    }
}
