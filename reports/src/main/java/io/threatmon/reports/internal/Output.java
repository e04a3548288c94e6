package io.threatmon.reports.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Writes report files whole: to a temporary sibling, then renamed, so readers never see half a file. */
public final class Output {

    private Output() {}

    public static Path writeString(Path file, String content) throws IOException {
        // not Files.createTempFile: its 0600 permissions would carry over to the report
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ThreadLocalRandom.current().nextInt(1 << 30)
                + ".tmp");
        try {
            // getBytes replaces what UTF-8 cannot encode (a lone surrogate); Files.writeString
            // would throw and lose the whole report over one character.
            Files.write(tmp, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }
}
