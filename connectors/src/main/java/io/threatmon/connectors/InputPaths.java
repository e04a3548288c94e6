package io.threatmon.connectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands what users pass as {@code --input}: files, directories (every log file inside, at any
 * depth, hidden files and Flink/Spark markers skipped) and globs ({@code logs/2026-03-*.jsonl.gz},
 * {@code logs/**}/{@code *.csv}). The result is sorted and without duplicates.
 *
 * <pre>{@code
 * List<Path> files = InputPaths.expand(List.of("logs/", "extra/*.csv"), LogFormat.CSV);
 * }</pre>
 */
public final class InputPaths {

    private InputPaths() {}

    /**
     * The files named by {@code inputs}. In directories, only files of {@code format} (by
     * extension) are taken when a format is given; otherwise every file with a known log extension.
     *
     * @throws IllegalArgumentException when an input matches nothing
     */
    public static List<Path> expand(List<String> inputs, LogFormat format) {
        Set<Path> out = new LinkedHashSet<>();
        Set<Path> seen = new java.util.HashSet<>();
        for (String input : inputs) {
            List<Path> found = new ArrayList<>();
            if (isGlob(input)) {
                found.addAll(glob(input));
            } else {
                Path p = Path.of(input);
                if (Files.isDirectory(p)) {
                    found.addAll(walk(p, format));
                } else if (Files.isRegularFile(p)) {
                    found.add(p);
                } else {
                    throw new IllegalArgumentException("input not found: " + input);
                }
            }
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no log files match " + input
                        + (format == null ? "" : " (looking for " + format.id() + " files)"));
            }
            // The same file named twice (relative and absolute, or through two globs) is read once.
            found.stream().sorted().filter(f -> seen.add(f.toAbsolutePath().normalize())).forEach(out::add);
        }
        return List.copyOf(out);
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    private static List<Path> glob(String pattern) {
        int cut = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                break;
            }
            if (c == '/') {
                cut = i + 1;
            }
        }
        boolean relative = cut == 0;
        Path base = relative ? Path.of(".") : Path.of(pattern.substring(0, cut));
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        String rest = pattern.substring(cut);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(Files::isRegularFile)
                    .filter(InputPaths::isVisible)
                    .filter(p -> matcher.matches(base.relativize(p)))
                    .map(p -> relative ? base.relativize(p) : p)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    /** Hidden files and Flink/Spark markers ({@code _SUCCESS}, {@code .part-…inprogress}) are not logs. */
    private static boolean isVisible(Path p) {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && !n.startsWith("_");
    }

    private static List<Path> walk(Path dir, LogFormat format) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(InputPaths::isVisible)
                    .filter(p -> {
                        LogFormat f = LogFormat.fromFileName(p.getFileName().toString());
                        return f != null && (format == null || f == format);
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
