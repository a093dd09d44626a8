package dev.infra.cli;

/** The command line asks for something impossible (e.g. apply without a TTY and without --auto-approve). */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
