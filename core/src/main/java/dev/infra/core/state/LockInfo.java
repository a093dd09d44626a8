package dev.infra.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Who holds a stack's lock: shown to whoever is refused. Every backend stores it as {@link #toJson() JSON}. */
public record LockInfo(String id, String who, String operation, String created, long pid) {

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

    static String whoAmI() {
        String user = System.getProperty("user.name", "unknown");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = ManagementFactory.getRuntimeMXBean().getName();
        }
        return user + "@" + host;
    }
}
