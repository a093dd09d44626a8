package dev.infra.core.state;

/** Who holds a stack's lock: shown to whoever is refused. */
public record LockInfo(String id, String who, String operation, String created, long pid) {

    public String describe() {
        return who + " (" + operation + ", pid " + pid + ") since " + created + ", lock id " + id;
    }
}
