package dev.infra.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Who holds a stack's lock: shown to whoever is refused. Every backend stores it as {@link #toJson() JSON}. */
public record LockInfo(String id, String who, String operation, String created, long pid) {

    /** Whether the process a lock names still runs, as far as this host can tell. */
    public enum Liveness {
        /** On this host, and its process runs. */
        RUNNING,
        /** On this host, and its process is gone (or its pid now belongs to a process started after the lock). */
        GONE,
        /** On another host (or a record that names none): nothing here can tell whether it still runs. */
        ELSEWHERE
    }

    /** A new lock for {@code operation} by this process: a fresh id, user@host, now, our pid. */
    public static LockInfo forThisProcess(String operation) {
        return new LockInfo(UUID.randomUUID().toString(), whoAmI(), operation, Instant.now().toString(),
                ProcessHandle.current().pid());
    }

    /** Stands in for a holder whose record cannot be read (not written yet, or written by another tool). */
    public static LockInfo unknown() {
        return new LockInfo("?", "another process", "unknown operation", "unknown time", -1);
    }

    /** The holder {@code text} names; empty when it is blank or not a lock record. */
    public static Optional<LockInfo> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            LockInfo info = Json.MAPPER.readValue(text, LockInfo.class);
            return info.id() == null ? Optional.empty() : Optional.of(info);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One line of JSON, as stored in a lock file, lock item or lock object. */
    public String toJson() {
        try {
            return Json.COMPACT.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String describe() {
        return who + " (" + operation + ", pid " + pid + ") since " + created + ", lock id " + id;
    }

    /** Where the holder ran: the part of {@code who} after the last '@'. */
    public String host() {
        return who == null ? "" : who.substring(who.lastIndexOf('@') + 1);
    }

    /**
     * Whether the holder still runs. Only a holder on this host can be checked: by its pid, which counts only if the
     * process with that pid started before the lock was taken (a pid reused since belongs to someone else).
     */
    public Liveness liveness() {
        if (pid <= 0 || !host().equals(ThisHost.NAME)) {
            return Liveness.ELSEWHERE;
        }
        return ProcessHandle.of(pid).filter(this::couldHaveTaken).isPresent() ? Liveness.RUNNING : Liveness.GONE;
    }

    private boolean couldHaveTaken(ProcessHandle process) {
        Optional<Instant> started = process.info().startInstant();
        Optional<Instant> taken = createdInstant();
        // The start time the OS reports is coarse: allow a second before calling it a newer process.
        return started.isEmpty() || taken.isEmpty() || !started.get().isAfter(taken.get().plusSeconds(1));
    }

    private Optional<Instant> createdInstant() {
        try {
            return created == null ? Optional.empty() : Optional.of(Instant.parse(created));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    static String whoAmI() {
        return System.getProperty("user.name", "unknown") + "@" + ThisHost.NAME;
    }

    /** Looked up once: a host name lookup can be slow, and a lock is judged more than once. */
    private static final class ThisHost {
        static final String NAME = lookUp();

        private static String lookUp() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
                return name.substring(name.indexOf('@') + 1);
            }
        }
    }
}
