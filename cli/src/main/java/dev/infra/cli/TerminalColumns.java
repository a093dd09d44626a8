package dev.infra.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The terminal's width, read again at each call (the window may be resized), through JLine. The terminal is opened
 * at the first call only, without JLine's own signal handlers (Ctrl-C stays {@link Interrupts}'s).
 */
final class TerminalColumns implements IntSupplier, AutoCloseable {

    private Terminal terminal;

    /** The columns, or 0 when the terminal cannot be opened (then the status line is not cut). */
    @Override
    public synchronized int getAsInt() {
        try {
            if (terminal == null) {
                terminal = TerminalBuilder.builder().system(true).nativeSignals(false).build();
            }
            return terminal.getWidth();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public synchronized void close() {
        if (terminal != null) {
            try {
                terminal.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            terminal = null;
        }
    }
}
