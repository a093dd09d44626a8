package dev.infra.core.catalogue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One of AWS's rules for an attribute's value, stated as AWS states it. */
public sealed interface Rule permits Rule.Text, Rule.OneOf, Rule.Range {

    /** What {@code value} breaks of this rule, as a sentence about it; empty when it keeps it (or is not yet known). */
    Optional<String> problem(Object value);

    /** The rule in words, for the resource-types page. */
    String describe();

    /**
     * A text's length and characters (a name, a description).
     *
     * @param noun what AWS calls the value ("load balancer name")
     * @param allowed a regex character class of every character allowed, without brackets
     * @param allowedWords those characters in words
     * @param forbidden patterns AWS refuses besides (a leading hyphen, two adjacent hyphens…)
     */
    record Text(String noun, int min, int max, String allowed, String allowedWords, List<Forbidden> forbidden)
            implements Rule {

        private static final int HASH_LENGTH = 8;

        public Text {
            forbidden = List.copyOf(forbidden);
        }

        public static Text of(String noun, int min, int max, String allowed, String allowedWords, Forbidden... forbidden) {
            return new Text(noun, min, max, allowed, allowedWords, List.of(forbidden));
        }

        @Override
        public Optional<String> problem(Object value) {
            if (!(value instanceof String s)) {
                return Optional.empty();
            }
            String subject = "the " + noun + " '" + s + "'";
            int length = s.codePointCount(0, s.length());
            if (length > max) {
                return Optional.of(subject + " is " + length + " characters; AWS allows " + max);
            }
            if (length < min) {
                return Optional.of(subject + " is " + length + " characters; AWS needs at least " + min);
            }
            String bad = s.codePoints().mapToObj(Character::toString).filter(c -> !c.matches("[" + allowed + "]"))
                    .distinct().collect(Collectors.joining());
            if (!bad.isEmpty()) {
                return Optional.of(subject + " holds '" + bad + "'; AWS allows only " + allowedWords);
            }
            return forbidden.stream().filter(f -> f.pattern().matcher(s).find()).findFirst()
                    .map(f -> subject + " " + f.words());
        }

        @Override
        public String describe() {
            String length = min == max ? min + "" : min + "–" + max;
            String rest = forbidden.stream().map(Forbidden::words).collect(Collectors.joining("; "));
            return length + " characters: " + allowedWords + (rest.isEmpty() ? "" : "; " + rest);
        }

        /**
         * {@code derived}, a name infra makes up, cut to this rule's length the way CDK and Pulumi do: unchanged when it
         * fits, else its start and a hash of the whole name, so that it stays stable and two long names stay apart.
         */
        public String fit(String derived) {
            if (derived.length() <= max) {
                return derived;
            }
            String start = derived.substring(0, max - HASH_LENGTH - 1).replaceAll("[^A-Za-z0-9]+$", "");
            return start + "-" + hash(derived);
        }

        private static String hash(String s) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A pattern a text must not match, with what AWS says of it ("must not end with a hyphen"). */
    record Forbidden(Pattern pattern, String words) {

        public static Forbidden of(String regex, String words) {
            return new Forbidden(Pattern.compile(regex), words);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Forbidden f && f.pattern.pattern().equals(pattern.pattern()) && f.words.equals(words);
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode() * 31 + words.hashCode();
        }
    }

    /** One of the values AWS lists. */
    record OneOf(String noun, List<String> values) implements Rule {

        public OneOf {
            values = List.copyOf(values);
        }

        public static OneOf of(String noun, String... values) {
            return new OneOf(noun, List.of(values));
        }

        @Override
        public Optional<String> problem(Object value) {
            if (!(value instanceof String) && !(value instanceof Number)) {
                return Optional.empty();
            }
            String v = String.valueOf(value);
            return values.contains(v) ? Optional.empty()
                    : Optional.of("the " + noun + " '" + v + "' is not one AWS takes: " + String.join(", ", values));
        }

        @Override
        public String describe() {
            return String.join(" \\| ", values);
        }
    }

    /** A whole number within AWS's bounds. */
    record Range(String noun, long min, long max) implements Rule {

        @Override
        public Optional<String> problem(Object value) {
            if (!(value instanceof Number n)) {
                return Optional.empty();
            }
            long v = n.longValue();
            return v >= min && v <= max ? Optional.empty()
                    : Optional.of("the " + noun + " " + v + " is out of range; AWS allows " + min + " to " + max);
        }

        @Override
        public String describe() {
            return min + "–" + max;
        }
    }
}
