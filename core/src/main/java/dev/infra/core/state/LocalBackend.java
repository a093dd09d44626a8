package dev.infra.core.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * State in {@code <dir>/<stack>.<region>.json}. Writes go to a temp file that is fsynced and renamed
 * over the old one, which is first kept as {@code .backup}. An apply's changes go to {@code .journal} beside it
 * ({@link LocalJournal}), folded into the state when the apply ends; a journal a killed command left is replayed by
 * {@link #read} and folded by the next write. The lock is an OS file lock on
 * {@code .lock} (released by the OS if the process dies) plus the holder's details inside it, emptied on release.
 */
public final class LocalBackend implements StateBackend {

    private final Path file;
    private final Path lockFile;
    private final Path journalFile;

    private LocalBackend(Path file, Path lockFile) {
        this.file = file;
        this.lockFile = lockFile;
        this.journalFile = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + ".journal");
    }

    public static LocalBackend of(Path dir, String stack, String region) {
        String base = stack + "." + region;
        return new LocalBackend(dir.resolve(base + ".json"), dir.resolve(base + ".lock"));
    }

    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public Optional<State> read() {
        return LocalJournal.replay(journalFile, readFile());
    }

    private Optional<State> readFile() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), State.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(State state) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] bytes = Json.MAPPER.writeValueAsBytes(state);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            if (Files.exists(file)) {
                Files.copy(file, file.resolveSibling(file.getFileName() + ".backup"), StandardCopyOption.REPLACE_EXISTING);
            }
            replace(tmp, file);
            // Folded: the journal's first line no longer names this state, so a crash before this loses nothing.
            Files.deleteIfExists(journalFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code base} is what {@link #read} returns; a journal a killed command left is folded into the state first. */
    @Override
    public Journal journal(State base) {
        if (Files.exists(journalFile)) {
            write(base);
        }
        return LocalJournal.open(this, journalFile, base);
    }

    /**
     * Renames the state file to {@code <name>.migrated} once its content lives in {@code movedTo} (another backend),
     * and writes {@code movedTo} into {@code <name>.moved}, so that no later run reads the old copy by mistake and
     * {@link #movedTo} can say where the state went; returns the new path. An older {@code .migrated} copy is
     * replaced: it too was migrated, and the remote backend keeps its history.
     */
    public Path retire(String movedTo) {
        Path retired = file.resolveSibling(file.getFileName() + ".migrated");
        try {
            Files.writeString(marker(), movedTo + "\n", StandardCharsets.UTF_8);
            if (Files.exists(journalFile)) {
                write(read().orElseThrow()); // the migration copied the replayed state: the old copy holds it too
            }
            replace(file, retired);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + file + ": " + e.getMessage(), e);
        }
        return retired;
    }

    /** Where {@code infra state migrate} moved this state, when it did and no local state was made since. */
    public Optional<String> movedTo() {
        if (Files.exists(file) || !Files.exists(marker())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(marker(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + marker() + ": " + e.getMessage(), e);
        }
    }

    private Path marker() {
        return file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + ".moved");
    }

    /** Moves {@code from} over {@code to} atomically where the file system can, so a reader sees one or the other. */
    private static void replace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public Lock lock(String operation) {
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock held = tryLock(ch);
            if (held == null) {
                ch.close();
                // The OS lock is held, so its holder runs: the OS drops the lock of a process that ends.
                throw StateLockedException.held(file.toString(), readHolder(), LockInfo.Liveness.RUNNING);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(LockInfo.forThisProcess(operation).toJson().getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return () -> {
                try (ch) {
                    ch.truncate(0);
                    held.release();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The OS lock is the truth here: held, its holder runs, and nothing (not {@code force}) removes it; free, any
     * holder the file still names died without releasing it (killed), and its record is cleared. The file itself
     * stays: deleting a lock file lets one process lock the deleted file and another a new one, both "holding" it.
     */
    @Override
    public Optional<Unlocked> unlock(boolean force) {
        if (!Files.exists(lockFile)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock held = tryLock(ch);
            if (held == null) {
                throw StateLockedException.notRemoved(file.toString(), readHolder(), LockInfo.Liveness.RUNNING);
            }
            try {
                Optional<LockInfo> stale = recordedHolder();
                if (stale.isPresent()) {
                    ch.truncate(0);
                    ch.force(true);
                }
                return stale.map(h -> new Unlocked(h, false));
            } finally {
                held.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    /** The OS lock on {@code ch}, or null when another process (or another channel of this JVM) holds it. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private LockInfo readHolder() {
        return recordedHolder().orElseGet(LockInfo::unknown);
    }

    /** The holder the lock file names; empty when it names nobody (released, or not yet written). */
    private Optional<LockInfo> recordedHolder() {
        try {
            return LockInfo.parse(Files.readString(lockFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty(); // the holder wrote nothing readable yet
        }
    }
}
