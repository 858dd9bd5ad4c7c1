package io.warpdrive.zip.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The agent's option string, parsed. Syntax (see {@link Agent}):
 * options separated by {@code ;}, each one of {@code include=NAMES},
 * {@code exclude=NAMES}, {@code verbose}, {@code off}; NAMES is a
 * comma-separated list of package or class names such as
 * {@code com.acme,org.apache.commons.compress}. A name selects that class
 * and everything in that package and its subpackages. {@code include} and
 * {@code exclude} may be repeated (the lists add up); exclude wins over
 * include; with no include every eligible class is selected. Blanks
 * around options and names are ignored; anything not understood is
 * reported in {@link #warnings()} and otherwise ignored, because a
 * failing agent would stop the JVM from starting.
 */
final class AgentOptions {
    private final List<String> include = new ArrayList<>();
    private final List<String> exclude = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean verbose;
    private boolean off;

    private AgentOptions() {
    }

    /** Parses an option string; null or blank means the defaults. */
    static AgentOptions parse(String args) {
        AgentOptions o = new AgentOptions();
        if (args == null) {
            return o;
        }
        for (String raw : args.split(";")) {
            String opt = raw.strip();
            if (opt.isEmpty()) {
                continue;
            }
            int eq = opt.indexOf('=');
            String key = (eq < 0 ? opt : opt.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : opt.substring(eq + 1);
            switch (key) {
                case "include":
                    o.names(value, o.include, opt);
                    break;
                case "exclude":
                    o.names(value, o.exclude, opt);
                    break;
                case "verbose":
                    o.verbose = o.flag(value, opt);
                    break;
                case "off":
                    o.off = o.flag(value, opt);
                    break;
                default:
                    o.warnings.add("unknown option '" + opt + "' ignored");
            }
        }
        return o;
    }

    private void names(String value, List<String> into, String opt) {
        if (value == null || value.isBlank()) {
            warnings.add("option '" + opt + "' names no package; ignored");
            return;
        }
        for (String n : value.split(",")) {
            String name = n.strip();
            if (name.endsWith(".*")) {
                name = name.substring(0, name.length() - 2);
            }
            while (name.endsWith(".") || name.endsWith("/")) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.isEmpty()) {
                continue;
            }
            into.add(name.replace('.', '/'));
        }
    }

    /** {@code verbose} alone means true; {@code verbose=false} is accepted too. */
    private boolean flag(String value, String opt) {
        if (value == null || value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        if (!value.strip().equalsIgnoreCase("false")) {
            warnings.add("option '" + opt + "' takes no value; read as true");
            return true;
        }
        return false;
    }

    /**
     * Whether the user's include/exclude lists select a class.
     *
     * @param internalName a class name with slashes, e.g. {@code com/acme/App}
     */
    boolean selects(String internalName) {
        for (String e : exclude) {
            if (matches(e, internalName)) {
                return false;
            }
        }
        if (include.isEmpty()) {
            return true;
        }
        for (String i : include) {
            if (matches(i, internalName)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String prefix, String internalName) {
        return internalName.startsWith(prefix)
                && (internalName.length() == prefix.length() || internalName.charAt(prefix.length()) == '/');
    }

    boolean verbose() {
        return verbose;
    }

    boolean off() {
        return off;
    }

    /** What was not understood, one message per problem. */
    List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    @Override
    public String toString() {
        return "include=" + dotted(include, "(all)") + ";exclude=" + dotted(exclude, "(none)") + (verbose ? ";verbose" : "")
                + (off ? ";off" : "");
    }

    private static String dotted(List<String> names, String none) {
        return names.isEmpty() ? none : String.join(",", names).replace('/', '.');
    }
}
