package io.warpdrive.zip.agent;

/**
 * The agent's messages, on standard error with one recognisable prefix.
 * Not System.Logger: the agent runs before the application has configured
 * any logging, often while the logging framework itself is loading.
 */
final class Log {
    static final String PREFIX = "[warpdrive-zip agent] ";

    private Log() {
    }

    /** A message shown only with the {@code verbose} option (the caller checks). */
    static void info(String message) {
        System.err.println(PREFIX + message);
    }

    /** A problem the user should know about, shown always. */
    static void warn(String message) {
        System.err.println(PREFIX + "warning: " + message);
    }
}
