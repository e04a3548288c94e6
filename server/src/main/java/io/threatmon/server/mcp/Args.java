package io.threatmon.server.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads tool and prompt arguments; every problem is an {@link IllegalArgumentException} naming the argument. */
final class Args {

    private Args() {}

    static String string(Map<String, ?> args, String name) {
        Object v = args == null ? null : args.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing required argument '" + name + "'");
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("argument '" + name + "' must be a string");
        }
        return s;
    }

    static String string(Map<String, ?> args, String name, String fallback) {
        Object v = args == null ? null : args.get(name);
        if (v == null || v instanceof String s && s.isBlank()) {
            return fallback;
        }
        return string(args, name);
    }

    static boolean bool(Map<String, ?> args, String name, boolean fallback) {
        Object v = args == null ? null : args.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("argument '" + name + "' must be true or false");
    }

    static List<String> strings(Map<String, ?> args, String name) {
        Object v = args == null ? null : args.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing required argument '" + name + "'");
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("argument '" + name + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new IllegalArgumentException(name + "[" + i + "] must be a string");
            }
            out.add(s);
        }
        return out;
    }
}
