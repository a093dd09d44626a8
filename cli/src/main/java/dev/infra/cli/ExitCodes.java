package dev.infra.cli;

import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.state.StateLockedException;
import picocli.CommandLine;

/** Every exit code infra returns, mapped in one place. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int ERROR = 1;
    /** {@code plan --detailed-exitcode} found changes. */
    public static final int CHANGES = 2;
    public static final int USAGE = 64;
    /** Ctrl-C or SIGTERM (128 + SIGINT's number, the shell's convention). */
    public static final int INTERRUPTED = 130;

    /** Shown in every command's --help. */
    public static final String HELP = "%nExit codes:%n"
            + "  0   success (no changes)%n"
            + "  1   error (invalid topology, AWS failure, failed apply, stale plan, lock held)%n"
            + "  2   success with changes present (plan --detailed-exitcode)%n"
            + "  64  usage error (unknown option, missing argument)%n"
            + "  130 interrupted (Ctrl-C, SIGTERM): operations in flight finished, the state saved, the lock%n"
            + "      released; apply again to continue. A second Ctrl-C exits at once.%n";

    private ExitCodes() {}

    static int of(Throwable t) {
        if (t instanceof CommandLine.ParameterException || t instanceof UsageException) {
            return USAGE;
        }
        if (t instanceof InvalidInputException || t instanceof StateLockedException) {
            return ERROR;
        }
        return ERROR;
    }
}
