package dev.infra.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** Asks before changing infrastructure. Only "yes" proceeds; without a terminal, nothing is asked and nothing proceeds. */
final class Confirmation {

    private Confirmation() {}

    static boolean ask(Console console, String question, boolean autoApprove) {
        if (autoApprove) {
            return true;
        }
        if (System.console() == null) {
            throw new UsageException("no terminal to confirm on; review the plan and pass --auto-approve to proceed");
        }
        console.progress(question);
        console.progress("  Only 'yes' will be accepted to approve.");
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            return "yes".equals(reader.readLine("  Enter a value: ").trim());
        } catch (UserInterruptException | EndOfFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
