package io.threatmon.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The API keys a server accepts ({@code THREATMON_API_KEYS}, comma separated). Keys are compared
 * as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same time whatever the
 * key, so response times leak neither a key's content nor its length. No keys: no authentication.
 *
 * <pre>{@code
 * ApiKeys keys = ApiKeys.parse(System.getenv("THREATMON_API_KEYS"));
 * if (!keys.accepts(bearerToken)) respond401();
 * }</pre>
 */
public final class ApiKeys {

    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /** Keys from a comma-separated list; null or blank means none (open server). */
    public static ApiKeys parse(String commaSeparated) {
        List<byte[]> out = new ArrayList<>();
        if (commaSeparated != null) {
            for (String k : commaSeparated.split(",")) {
                if (!k.isBlank()) {
                    out.add(digest(k.trim()));
                }
            }
        }
        return new ApiKeys(out);
    }

    /** No keys: every request is accepted. */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    public boolean required() {
        return !digests.isEmpty();
    }

    public int count() {
        return digests.size();
    }

    /** Whether {@code presented} is one of the keys (always true when none are configured). */
    public boolean accepts(String presented) {
        if (digests.isEmpty()) {
            return true;
        }
        if (presented == null) {
            return false;
        }
        byte[] d = digest(presented);
        boolean ok = false;
        for (byte[] k : digests) {
            ok |= MessageDigest.isEqual(k, d);   // no early exit: every key is compared
        }
        return ok;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
