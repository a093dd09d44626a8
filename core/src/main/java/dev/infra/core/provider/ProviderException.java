package dev.infra.core.provider;

/** An AWS call failed for a resource; the message names the resource's address and AWS's reason. */
public final class ProviderException extends RuntimeException {

    public ProviderException(String address, String message, Throwable cause) {
        super(address + ": " + message, cause);
    }

    public ProviderException(String address, String message) {
        super(address + ": " + message);
    }
}
