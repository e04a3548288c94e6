package io.threatmon.engine.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@link RegexAtoms} analyses of the bundled rules' regexes, worked out when the engine is
 * built and read from the engine jar, so loading the bundled rules does not redo them. In a fresh
 * JVM, analysing ~1,700 regexes was about a third of start-up's CPU, most of it in code the JIT had
 * not compiled yet; reading the cache instead takes a one-shot {@code threatmon analyze} from
 * ~0.8 to ~0.7 s. Any other regex (a custom rule pack) is analysed as before.
 *
 * <p>A cache that does not match the analyser is never used. Its header names the analyser's
 * class files it was made with and holds their SHA-256, with the Java version (the analyser folds
 * case with the JDK's Unicode tables); the table is read only when the classes on the classpath
 * and the running Java hash the same, so an IDE build that recompiled {@code RegexAtoms} but not
 * the cache, or a newer Java, just analyses again. The build writes the cache with
 * {@link #main(String[])} (engine/pom.xml, phase {@code process-classes}); {@code
 * AnalysisCacheTest} checks every cached analysis equals a fresh one.
 *
 * <pre>{@code
 * RegexAtoms.Analysis a = AnalysisCache.analyze("\\bignore\\s+previous\\b"); // cached or computed
 * }</pre>
 */
public final class AnalysisCache {

    /** Where the build puts the cache, on the classpath. */
    static final String RESOURCE = "io/threatmon/engine/internal/regex-analyses.bin";
    private static final int MAGIC = 0x544D4141; // "TMAA"
    private static final int FORMAT = 1;
    /** Class files whose code decides an analysis; the cache is valid only for these exact bytes. */
    static final List<String> ANALYSER_PREFIXES = List.of("RegexAtoms", "AtomSets", "RegexSyntax");

    private AnalysisCache() {}

    /** The bundled table, read once (empty when missing or made by another analyser). */
    private static final class Bundled {
        static final Map<String, RegexAtoms.Analysis> TABLE = loadBundled();
        /** Each key of {@link #TABLE} by itself, so the rules can share its instance. */
        static final Map<String, String> REGEXES = selfMap(TABLE.keySet());

        private static Map<String, String> selfMap(java.util.Set<String> keys) {
            Map<String, String> out = new HashMap<>(keys.size() * 2);
            for (String k : keys) {
                out.put(k, k);
            }
            return out;
        }
    }

    /** The analysis of {@code regex}: from the bundled cache when it holds it, else computed. */
    public static RegexAtoms.Analysis analyze(String regex) {
        RegexAtoms.Analysis cached = Bundled.TABLE.get(regex);
        return cached != null ? cached : RegexAtoms.analyze(regex);
    }

    /**
     * Whether the bundled cache holds {@code regex}. Such a regex is one of the bundled rules'
     * and passed the rule reader's checks (it compiles, it does not match the empty text) when
     * the cache was made, with these same analyser classes and this Java.
     */
    public static boolean isBundled(String regex) {
        return bundled(regex) != null;
    }

    /**
     * The cache's own instance of {@code regex} when {@link #isBundled} holds, else null. Rules
     * that share a fragment each spell out the same regex, and a string per rule came to 10.6 MB of
     * heap where the 4,571 distinct ones take 3.3 MB: the rule reader keeps this one instead.
     */
    public static String bundled(String regex) {
        return building ? null : Bundled.REGEXES.get(regex);
    }

    /**
     * Set while the build makes the cache: the rules are then read with every check, so a check
     * added to the reader applies to the bundled regexes too, and a cache left by the previous
     * build vouches for nothing.
     */
    private static volatile boolean building;

    /** Number of analyses the bundled cache provides (0 when it is missing or stale). */
    public static int bundledSize() {
        return Bundled.TABLE.size();
    }

    private static Map<String, RegexAtoms.Analysis> loadBundled() {
        InputStream in = AnalysisCache.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            return Map.of();
        }
        try (InputStream stream = new BufferedInputStream(in, 1 << 16)) {
            return read(stream, AnalysisCache::classBytes);
        } catch (IOException | RuntimeException e) {
            // A damaged cache only costs the time it would have saved.
            return Map.of();
        }
    }

    /** Reads the bytes of a class file of this package from the classpath, or null. */
    private static byte[] classBytes(String simpleName) {
        try (InputStream in = AnalysisCache.class.getResourceAsStream(simpleName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads a cache, or returns an empty map when it was made from class files that differ from
     * those {@code classes} returns (by simple name, null when missing).
     */
    static Map<String, RegexAtoms.Analysis> read(InputStream in, Function<String, byte[]> classes)
            throws IOException {
        DataInputStream d = new DataInputStream(in);
        if (d.readInt() != MAGIC || d.readInt() != FORMAT) {
            return Map.of();
        }
        int classCount = d.readInt();
        List<String> names = new ArrayList<>(classCount);
        for (int i = 0; i < classCount; i++) {
            names.add(d.readUTF());
        }
        byte[] digest = new byte[32];
        d.readFully(digest);
        byte[] actual = fingerprint(names, classes);
        if (actual == null || !MessageDigest.isEqual(digest, actual)) {
            return Map.of();
        }
        int count = d.readInt();
        Map<String, RegexAtoms.Analysis> table = new HashMap<>(count * 2);
        // One instance per distinct atom: regexes built from the same fragments share most of
        // theirs (167,000 atom strings, 106,000 distinct, for the bundled rules).
        Map<String, String> atoms = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String regex = readString(d);
            table.put(regex, readAnalysis(d, atoms));
        }
        return table;
    }

    /** Writes the analyses of {@code regexes}, stamped with the analyser class files {@code names}. */
    static void write(Collection<String> regexes, List<String> names, Function<String, byte[]> classes,
            OutputStream out) throws IOException {
        byte[] digest = fingerprint(names, classes);
        if (digest == null) {
            throw new IllegalStateException("analyser class files not found: " + names);
        }
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(MAGIC);
        d.writeInt(FORMAT);
        d.writeInt(names.size());
        for (String n : names) {
            d.writeUTF(n);
        }
        d.write(digest);
        List<String> distinct = regexes.stream().distinct().toList();
        d.writeInt(distinct.size());
        for (String regex : distinct) {
            writeString(d, regex);
            writeAnalysis(d, RegexAtoms.analyze(regex));
        }
        d.flush();
    }

    private static byte[] fingerprint(List<String> names, Function<String, byte[]> classes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // The analyser folds case with the JDK's Unicode tables, which change between Java
            // versions: a cache made on another version is not read.
            String java = "java " + System.getProperty("java.specification.version") + "\n";
            sha.update(java.getBytes(StandardCharsets.UTF_8));
            for (String n : names) {
                byte[] bytes = classes.apply(n);
                if (bytes == null) {
                    return null;
                }
                sha.update(n.getBytes(StandardCharsets.UTF_8));
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
                sha.update(bytes);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void writeAnalysis(DataOutputStream d, RegexAtoms.Analysis a) throws IOException {
        writeStrings(d, a.atoms());
        d.writeInt(a.maxLength());
        d.writeBoolean(a.anchored());
        d.writeInt(a.alsoRequired().size());
        for (List<String> set : a.alsoRequired()) {
            writeStrings(d, set);
        }
        d.writeInt(a.spaceRuns());
        d.writeInt(a.tokenRuns());
        d.writeInt(a.slots().size());
        for (RegexAtoms.Slot s : a.slots()) {
            writeReach(d, s.before());
            writeReach(d, s.after());
            d.writeInt(s.guards());
        }
        d.writeInt(a.rareCharSets().size());
        for (List<int[]> set : a.rareCharSets()) {
            d.writeInt(set.size());
            for (int[] range : set) {
                d.writeInt(range[0]);
                d.writeInt(range[1]);
            }
        }
    }

    private static RegexAtoms.Analysis readAnalysis(DataInputStream d, Map<String, String> strings) throws IOException {
        List<String> atoms = readStrings(d, strings);
        int maxLength = d.readInt();
        boolean anchored = d.readBoolean();
        int moreCount = d.readInt();
        List<List<String>> more = new ArrayList<>(moreCount);
        for (int i = 0; i < moreCount; i++) {
            more.add(readStrings(d, strings));
        }
        int spaceRuns = d.readInt();
        int tokenRuns = d.readInt();
        int slotCount = d.readInt();
        List<RegexAtoms.Slot> slots = new ArrayList<>(slotCount);
        for (int i = 0; i < slotCount; i++) {
            slots.add(new RegexAtoms.Slot(readReach(d), readReach(d), d.readInt()));
        }
        int rareCount = d.readInt();
        List<List<int[]>> rare = new ArrayList<>(rareCount);
        for (int i = 0; i < rareCount; i++) {
            int n = d.readInt();
            List<int[]> set = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                set.add(new int[] {d.readInt(), d.readInt()});
            }
            rare.add(List.copyOf(set));
        }
        return new RegexAtoms.Analysis(atoms, maxLength, anchored, List.copyOf(more), spaceRuns, tokenRuns,
                List.copyOf(slots), List.copyOf(rare));
    }

    private static void writeReach(DataOutputStream d, RegexAtoms.Reach r) throws IOException {
        d.writeInt(r.len());
        d.writeInt(r.spaces());
        d.writeInt(r.tokens());
    }

    private static RegexAtoms.Reach readReach(DataInputStream d) throws IOException {
        return new RegexAtoms.Reach(d.readInt(), d.readInt(), d.readInt());
    }

    /** A list of strings, null written as count -1 (a regex without usable atoms). */
    private static void writeStrings(DataOutputStream d, List<String> list) throws IOException {
        if (list == null) {
            d.writeInt(-1);
            return;
        }
        d.writeInt(list.size());
        for (String s : list) {
            writeString(d, s);
        }
    }

    /** A list written by {@link #writeStrings}, each string the instance {@code strings} already has when it has one. */
    private static List<String> readStrings(DataInputStream d, Map<String, String> strings) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            String s = readString(d);
            out[i] = strings.computeIfAbsent(s, k -> k);
        }
        return List.of(out);
    }

    /** UTF-8 with an int length: {@code writeUTF} stops at 64 KB, and a regex may be longer. */
    private static void writeString(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    private static String readString(DataInputStream d) throws IOException {
        byte[] b = new byte[d.readInt()];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Writes the cache of the bundled rules' regexes: {@code main(classesDir)} with the engine's
     * compiled classes directory (the build's output directory), which it hashes and writes into.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: AnalysisCache CLASSES_DIR");
        }
        Path classesDir = Path.of(args[0]);
        Path pkg = classesDir.resolve(RESOURCE).getParent();
        List<String> names;
        try (var files = Files.list(pkg)) {
            names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> ANALYSER_PREFIXES.stream()
                            .anyMatch(prefix -> n.equals(prefix) || n.startsWith(prefix + "$")))
                    .sorted()
                    .toList();
        }
        Function<String, byte[]> classes = n -> {
            try {
                return Files.readAllBytes(pkg.resolve(n + ".class"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        building = true;
        List<String> regexes = new ArrayList<>();
        for (var d : io.threatmon.engine.rules.RuleLoader.load(io.threatmon.engine.rules.RuleLoader.bundled())
                .orThrow().definitions()) {
            regexes.addAll(d.regexes());
        }
        Path out = classesDir.resolve(RESOURCE);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            write(regexes, names, classes, o);
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("AnalysisCache: " + regexes.stream().distinct().count() + " regex analyses -> " + out
                + " (" + Files.size(out) + " bytes)");
    }
}
