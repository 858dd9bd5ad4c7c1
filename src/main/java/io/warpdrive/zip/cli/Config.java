package io.warpdrive.zip.cli;

/**
 * Reads a setting for display the way the library applies it: the system
 * property, else its environment twin.
 */
final class Config {
    private Config() {
    }

    /** The property's value, else the environment variable's, else null. */
    static String get(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isEmpty()) {
            v = System.getenv(env);
        }
        return v == null || v.isEmpty() ? null : v;
    }
}
