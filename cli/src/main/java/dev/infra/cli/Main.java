package dev.infra.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: wires the picocli command tree, the streams and the exit codes. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, new PrintWriter(System.out, true), err, Interrupts.install(err));
        System.exit(code);
    }

    /** Runs one command line with the given streams and returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, Interrupts.none(err));
    }

    private static int run(String[] args, PrintWriter out, PrintWriter err, Interrupts interrupts) {
        CommandLine cl = new CommandLine(new InfraCommand(interrupts));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(ExitCodes::of);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("Run 'infra " + commandPath(ex.getCommandLine()) + "--help' for usage.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler(new ErrorHandler(err));
        return cl.execute(args);
    }

    private static String commandPath(CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName(" ");
        String rest = name.startsWith("infra") ? name.substring("infra".length()).trim() : name;
        return rest.isEmpty() ? "" : rest + " ";
    }
}
