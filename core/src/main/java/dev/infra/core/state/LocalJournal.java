package dev.infra.core.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link LocalBackend}'s journal: {@code <state>.journal}, one JSON line per change after a first line holding the
 * state it applies to without its resources (its lineage, serial and replica bookkeeping). An append costs the
 * change, not the state. Appends do not wait for each other; each waits until an fsync covers it, and one fsync
 * covers every line appended before it started (operations finishing together share it).
 */
final class LocalJournal implements Journal {

    private final LocalBackend backend;
    private final Path file;
    private final FileChannel channel;
    /** Bytes appended so far; guarded by {@code this}. */
    private long appended;
    /** Bytes an fsync covers; guarded by {@link #syncing}. */
    private long synced;
    private final Object syncing = new Object();

    private LocalJournal(LocalBackend backend, Path file, FileChannel channel) {
        this.backend = backend;
        this.file = file;
        this.channel = channel;
    }

    /** A new journal on top of {@code base}, the state as the backend holds it (replayed, when a journal was left). */
    static LocalJournal open(LocalBackend backend, Path file, State base) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            LocalJournal j = new LocalJournal(backend, file, ch);
            j.append(line(new State(base.version(), base.lineage(), base.serial(), base.stack(), base.region(), Map.of(),
                    base.primary(), base.replicas())));
            return j;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open state journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void record(Change change, Supplier<State> whole) {
        append(line(change));
    }

    @Override
    public void close(State whole) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close state journal " + file + ": " + e.getMessage(), e);
        }
        backend.write(whole);
    }

    private void append(byte[] line) {
        try {
            long mine;
            synchronized (this) {
                channel.write(ByteBuffer.wrap(line));
                appended += line.length;
                mine = appended;
            }
            synchronized (syncing) {
                if (synced >= mine) {
                    return; // an fsync that began after this line was appended covered it
                }
                long upTo;
                synchronized (this) {
                    upTo = appended;
                }
                channel.force(false);
                synced = upTo;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] line(Object value) {
        try {
            byte[] json = Json.COMPACT.writeValueAsBytes(value);
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code state} (empty: no state file) with the changes of the journal at {@code file} applied, when the journal
     * was left on top of it by a command that did not end (killed); else {@code state}. A journal whose first line
     * names another lineage or serial was already folded (the command died between the fold and the journal's
     * removal); a last line cut short by the crash was never acknowledged, so it is dropped.
     */
    static Optional<State> replay(Path file, Optional<State> state) {
        if (!Files.exists(file)) {
            return state;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state journal " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            return state;
        }
        State base = parse(lines.get(0), State.class).orElse(null);
        if (base == null || state.isPresent() && (!state.get().lineage().equals(base.lineage())
                || state.get().serial() != base.serial())) {
            return state;
        }
        State on = state.orElse(base);
        Map<String, ResourceState> resources = new HashMap<>(on.resources());
        long serial = on.serial();
        for (String l : lines.subList(1, lines.size())) {
            Optional<Change> change = parse(l, Change.class);
            if (change.isEmpty()) {
                break;
            }
            if (change.get() instanceof Put p) {
                resources.put(p.resource().address(), p.resource());
            } else if (change.get() instanceof Remove r) {
                resources.remove(r.address());
            }
            serial++;
        }
        return Optional.of(new State(on.version(), on.lineage(), serial, on.stack(), on.region(), resources,
                on.primary(), on.replicas()));
    }

    private static <T> Optional<T> parse(String line, Class<T> type) {
        try {
            return Optional.of(Json.MAPPER.readValue(line, type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
