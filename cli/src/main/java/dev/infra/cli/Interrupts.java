package dev.infra.cli;

import dev.infra.core.apply.Cancellation;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.utils.Signals;

/**
 * Ctrl-C (SIGINT) and SIGTERM. While a command changes infrastructure, the first one cancels its apply: no operation
 * starts, those in flight finish and are recorded, and the command's own course saves the state, releases the lock,
 * reports and exits {@value ExitCodes#INTERRUPTED}. A second one exits at once: the state was written after every
 * operation, and an operation cut off left its intent record, which the next apply resolves. Other commands (nothing
 * to save) exit at once, as they would without a handler.
 *
 * <p>Signal handlers rather than a shutdown hook: a hook runs once the JVM is already exiting, where
 * {@code System.exit} blocks, so the command could neither finish its walk, close its locks on its normal path nor
 * pick the exit code, and a second Ctrl-C could not be told from the first. JLine's {@link Signals} registers the
 * handlers through {@code sun.misc.Signal}, the JDK's only signal API, without compiling against that internal class.
 */
final class Interrupts {

    private final Cancellation cancellation = new Cancellation();
    private final AtomicInteger received = new AtomicInteger();
    private final PrintWriter err;
    private volatile boolean applying;

    private Interrupts(PrintWriter err) {
        this.err = err;
    }

    /** For a command run in-process (tests): signals are left to the JVM, so nothing is ever cancelled. */
    static Interrupts none(PrintWriter err) {
        return new Interrupts(err);
    }

    /** Handles this process's SIGINT and SIGTERM from now on. */
    static Interrupts install(PrintWriter err) {
        Interrupts interrupts = new Interrupts(err);
        Signals.register("INT", interrupts::received);
        Signals.register("TERM", interrupts::received);
        return interrupts;
    }

    /** The cancellation of the apply about to run: from now on the first signal cancels it rather than exiting. */
    Cancellation applying() {
        applying = true;
        return cancellation;
    }

    boolean interrupted() {
        return cancellation.requested();
    }

    private void received() {
        if (!applying) {
            System.exit(ExitCodes.INTERRUPTED);
        }
        if (received.getAndIncrement() == 0) {
            cancellation.request();
            say("Interrupt received: no new operation starts; those in flight finish, then the state is saved and the lock"
                    + " released. Interrupt again to exit at once.");
            return;
        }
        say("Interrupted again: exiting at once. The state holds every finished operation; the next apply resolves those"
                + " cut off (a create left its intent record; what it made is adopted). A lock kept in S3 stays:"
                + " 'infra state unlock' removes it.");
        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
    }

    private void say(String line) {
        err.println(line);
        err.flush();
    }
}
