package io.warpdrive.zip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal. Java has no isatty(), so this
 * reads where Linux's {@code /proc/self/fd/N} points: a terminal is a
 * {@code /dev/pts/*}, {@code /dev/tty*} or {@code /dev/console} node.
 * Without /proc it falls back to {@link System#console()}, which is set
 * only when both stdin and stdout are terminals.
 */
final class Terminal {
    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;

    private Terminal() {
    }

    /** True when file descriptor {@code fd} (0, 1 or 2) of this process is a terminal. */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                    || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return fd != STDERR && System.console() != null;
        }
    }
}
