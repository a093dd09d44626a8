package dev.infra.cli;

import dev.infra.core.state.Json;
import dev.infra.core.state.State;
import dev.infra.providers.testing.Emulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * {@code args} on the topology {@code dir/infra.yaml} with its state in {@code dir/.infra}, against the emulator,
     * with no Helm on hand (a path that does not exist): for topologies whose clusters install nothing.
     */
    static Result inDir(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2",
                "--helm", dir.resolve("no-helm-here").toString()));
        return run(all.toArray(String[]::new));
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }
}
