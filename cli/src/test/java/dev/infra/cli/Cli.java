package dev.infra.cli;

import dev.infra.core.state.Json;
import dev.infra.core.state.State;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Runs the CLI in-process with captured streams. */
final class Cli {

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli() {}

    /** {@code derived}, a global name infra derives, with the suffix the state in {@code stateFile} gives it. */
    static String named(Path stateFile, String derived) {
        try {
            return derived + "-" + Json.MAPPER.readValue(stateFile.toFile(), State.class).nameSuffix();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }
}
