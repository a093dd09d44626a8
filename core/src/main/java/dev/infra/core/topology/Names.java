package dev.infra.core.topology;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Rules for user-chosen names, and the did-you-mean used by every "unknown name" message. */
public final class Names {

    /** Component names become parts of AWS names and tags: lower-case, digits and dashes. */
    public static final String PATTERN = "^[a-z][a-z0-9-]{0,30}$";

    /** {@link #PATTERN} in words, for the messages that refuse a name. */
    public static final String RULE = "lower-case letters, digits and dashes, starting with a letter, at most 31 characters";

    private Names() {}

    /** The closest candidate within a small edit distance, if any. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        int limit = Math.max(2, word.length() / 3);
        return candidates.stream()
                .filter(c -> distance(word.toLowerCase(), c.toLowerCase()) <= limit)
                .min(Comparator.comparingInt((String c) -> distance(word.toLowerCase(), c.toLowerCase()))
                        .thenComparing(Comparator.naturalOrder()));
    }

    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
