package dev.infra.cli;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns any failure into one line per problem on stderr and an exit code; a stack trace only on request. */
final class ErrorHandler implements IExecutionExceptionHandler {

    private final PrintWriter err;

    ErrorHandler(PrintWriter err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        boolean trace = parsed.expandedArgs().contains("--stacktrace");
        if (ex instanceof InvalidInputException invalid) {
            for (Diagnostic d : invalid.diagnostics()) {
                err.println(d.render());
            }
            long errors = invalid.diagnostics().stream().filter(Diagnostic::isError).count();
            if (errors > 1) {
                err.println(errors + " errors");
            }
        } else {
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("error: " + message.lines().findFirst().orElse(message));
            if (!trace && !(ex instanceof UsageException) && isBug(ex)) {
                err.println("(run again with --stacktrace for details)");
            }
        }
        if (trace) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.of(ex);
    }

    /** Errors we did not anticipate, where a stack trace helps a bug report. */
    private static boolean isBug(Exception ex) {
        return ex instanceof NullPointerException || ex instanceof IllegalStateException
                || ex instanceof ClassCastException || ex instanceof IndexOutOfBoundsException;
    }
}
