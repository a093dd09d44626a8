package dev.infra.cli;

import java.io.PrintWriter;

/**
 * The two streams every command writes to: results to {@code out}, progress, warnings and errors to
 * {@code err}. Colour only when asked for and not disabled.
 */
public final class Console {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean color;

    Console(PrintWriter out, PrintWriter err, boolean color) {
        this.out = out;
        this.err = err;
        this.color = color;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public synchronized void result(String line) {
        out.println(line);
        out.flush();
    }

    public synchronized void progress(String line) {
        err.println(line);
        err.flush();
    }

    public String green(String s) {
        return paint("32", s);
    }

    public String yellow(String s) {
        return paint("33", s);
    }

    public String red(String s) {
        return paint("31", s);
    }

    public String bold(String s) {
        return paint("1", s);
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
