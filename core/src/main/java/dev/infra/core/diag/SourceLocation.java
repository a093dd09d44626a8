package dev.infra.core.diag;

/** Where a value came from: file, 1-based line and column. Line 0 means "the file as a whole". */
public record SourceLocation(String file, int line, int column) {

    public static SourceLocation of(String file, int line, int column) {
        return new SourceLocation(file, line, column);
    }

    public static SourceLocation wholeFile(String file) {
        return new SourceLocation(file, 0, 0);
    }

    @Override
    public String toString() {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }
}
