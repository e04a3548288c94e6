package io.threatmon.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The engine's version, from the build.
 *
 * <pre>{@code
 * System.out.println("threatmon " + Version.ENGINE);
 * }</pre>
 */
public final class Version {

    /** The engine version ({@code 0.1.0-SNAPSHOT}), or {@code unknown} outside a build. */
    public static final String ENGINE = load();

    private Version() {}

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
