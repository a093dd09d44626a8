package dev.infra.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.infra.core.model.ResourceSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Policy documents (IAM trust policies, S3 bucket policies) in the one form reads report them and the planner
 * compares them in: AWS may URL-encode a document, reformat it or reorder its keys, so neither side's text is
 * compared as sent.
 */
public final class Policies {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Policies() {}

    /**
     * {@code document} in canonical form: URL-decoded when AWS sent it encoded, compact JSON with every object's keys
     * sorted (at every level), arrays in their order. Not JSON: returned as given; null stays null.
     */
    public static String canonical(String document) {
        if (document == null) {
            return null;
        }
        String text = document.trim();
        if (!text.startsWith("{")) {
            text = URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        try {
            return JSON.writeValueAsString(JSON.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /** {@code document} (a spec's) with {@link ResourceSpec#ACCOUNT} written as {@code account}; null stays null. */
    public static String withAccount(String document, java.util.function.Supplier<String> account) {
        return document == null || !document.contains(ResourceSpec.ACCOUNT) ? document
                : document.replace(ResourceSpec.ACCOUNT, account.get());
    }

    /**
     * {@code document} (as AWS has it) with the account read back as {@link ResourceSpec#ACCOUNT}, the form specs hold;
     * the account is asked for only when the document names some account.
     */
    public static String tokenized(String document, java.util.function.Supplier<String> account) {
        if (document == null || !ACCOUNT_ID.matcher(document).find()) {
            return document;
        }
        return document.replace(account.get(), ResourceSpec.ACCOUNT);
    }

    private static final java.util.regex.Pattern ACCOUNT_ID = java.util.regex.Pattern.compile("\\b\\d{12}\\b");

    /** Whether an Allow statement of {@code document} names {@code service} (e.g. cloudtrail.amazonaws.com) as principal. */
    public static boolean grantsService(String document, String service) {
        if (document == null) {
            return false;
        }
        try {
            JsonNode statements = JSON.readTree(canonical(document)).path("Statement");
            for (JsonNode st : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
                JsonNode principal = st.path("Principal").path("Service");
                boolean named = principal.isArray() ? java.util.stream.StreamSupport.stream(principal.spliterator(), false)
                        .anyMatch(p -> service.equals(p.asText())) : service.equals(principal.asText());
                if (named && "Allow".equals(st.path("Effect").asText())) {
                    return true;
                }
            }
            return false;
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
