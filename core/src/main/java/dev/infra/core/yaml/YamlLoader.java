package dev.infra.core.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML file into a {@link YNode} tree with source locations. Problems that stop reading
 * (missing, empty, binary, malformed, aliases) throw {@link InvalidInputException}; duplicate keys
 * are collected as diagnostics and reading goes on.
 */
public final class YamlLoader {

    /** Topologies are small; anything bigger is a mistake, not a topology. */
    static final long MAX_BYTES = 4L * 1024 * 1024;
    static final int MAX_DEPTH = 64;

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private YamlLoader() {}

    public static YNode load(Path file, Diagnostics diags) {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw fail(name, "is a directory, not a topology file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw fail(name, "is larger than " + MAX_BYTES / (1024 * 1024) + " MiB; not a topology file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fail(name, "file not found");
        } catch (IOException e) {
            throw fail(name, "cannot read file: " + e.getMessage());
        }
        return parse(name, bytes, diags);
    }

    public static YNode parse(String name, byte[] bytes, Diagnostics diags) {
        String text = decode(name, bytes);
        if (text.isBlank()) {
            throw fail(name, "file is empty; a topology needs at least 'stack:' and 'region:'");
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw fail(name, "file holds no YAML document");
            }
            YNode root = read(p, name, "", diags);
            if (p.nextToken() != null) {
                diags.error(at(name, p.currentTokenLocation()), "", "only one YAML document is allowed");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            SourceLocation where = loc == null ? SourceLocation.wholeFile(name) : at(name, loc);
            String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            String msg = original.lines().findFirst().orElse("malformed YAML").trim();
            // SnakeYAML's first line is often only the context ("while parsing a flow sequence"); the
            // problem ("expected ',' or ']'") and its exact place are in the marked exception.
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
                msg = m.getProblem().trim() + (m.getContext() == null ? "" : " (" + m.getContext().trim() + ")");
                if (m.getProblemMark() != null) {
                    where = SourceLocation.of(name, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
                }
            }
            throw InvalidInputException.of(Diagnostic.error(where, "", "malformed YAML: " + msg));
        } catch (IOException e) {
            throw fail(name, "cannot read file: " + e.getMessage());
        }
    }

    private static String decode(String name, byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                throw fail(name, "is a binary file, not YAML");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail(name, "is not UTF-8 text; a topology must be UTF-8 YAML");
        }
    }

    /** The node at the parser's current token; {@code path} is its YAML path, for the duplicate keys under it. */
    private static YNode read(JsonParser p, String file, String path, Diagnostics diags) throws IOException {
        SourceLocation at = at(file, p.currentTokenLocation());
        if (p instanceof YAMLParser yp && yp.isCurrentAlias()) {
            // Refusing aliases outright also disarms alias bombs (billion laughs).
            throw InvalidInputException.of(Diagnostic.error(at, "",
                    "YAML aliases (*" + p.getText() + ") are not supported; write the value out"));
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YNode.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    SourceLocation keyAt = at(file, p.currentTokenLocation());
                    String child = path.isEmpty() ? key : path + "." + key;
                    p.nextToken();
                    YNode value = read(p, file, child, diags);
                    if (entries.containsKey(key)) {
                        diags.error(keyAt, child, "duplicate key '" + key + "' (first at line "
                                + entries.get(key).keyAt().line() + ")");
                    } else {
                        entries.put(key, new YNode.Entry(key, keyAt, value));
                    }
                }
                return new YNode.YMap(entries, at);
            }
            case START_ARRAY -> {
                List<YNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, file, path + "[" + items.size() + "]", diags));
                }
                return new YNode.YSeq(items, at);
            }
            case VALUE_STRING -> {
                return new YNode.YScalar(p.getText(), YNode.ScalarType.STRING, at);
            }
            case VALUE_NUMBER_INT -> {
                return new YNode.YScalar(p.getText(), YNode.ScalarType.INTEGER, at);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YNode.YScalar(p.getText(), YNode.ScalarType.FLOAT, at);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YNode.YScalar(p.getText(), YNode.ScalarType.BOOLEAN, at);
            }
            case VALUE_NULL -> {
                return new YNode.YScalar("", YNode.ScalarType.NULL, at);
            }
            default -> throw new IllegalStateException("unexpected YAML token " + t + " at " + at);
        }
    }

    private static SourceLocation at(String file, JsonLocation loc) {
        return SourceLocation.of(file, loc.getLineNr(), loc.getColumnNr());
    }

    private static InvalidInputException fail(String file, String message) {
        return InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(file), "", message));
    }
}
