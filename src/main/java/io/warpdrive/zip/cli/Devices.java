package io.warpdrive.zip.cli;

import io.warpdrive.zip.Accelerator;
import io.warpdrive.zip.WarpDrive;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code wdzip devices}: the accelerators the library sees, whether each
 * can serve, and in plain words what serves the streams of this process.
 */
final class Devices {
    /** The algorithm the hisi_zip driver needs from a device (raw DEFLATE requests). */
    private static final String NEEDED_ALGORITHM = "deflate";

    private Devices() {
    }

    static int run(String[] args, Io io) {
        PrintStream out = io.text();
        if (args.length > 0) {
            io.err.println(Reporter.PROGRAM + ": devices takes no arguments");
            return Reporter.ERROR;
        }
        print(out);
        out.flush();
        return Reporter.OK;
    }

    static void print(PrintStream out) {
        if (!WarpDrive.nativeAvailable()) {
            String reason = WarpDrive.nativeUnavailableReason();
            if (reason.endsWith(".")) {
                reason = reason.substring(0, reason.length() - 1);
            }
            out.println("No accelerator can be used: the native library is not loaded.");
            out.println("Streams are served by java.util.zip because " + reason + ".");
            return;
        }
        String emulate = Config.get("warpdrive.emulate", "WD_EMULATE");
        String mask = Config.get("warpdrive.devices", "WD_DEVICES");
        List<Accelerator> all = WarpDrive.accelerators();
        if (emulate != null && !emulate.isEmpty()) {
            out.println("Emulated devices: " + emulate + " (warpdrive.emulate / WD_EMULATE)");
        }
        if (all.isEmpty()) {
            String sysfs = Config.get("warpdrive.sysfs", "WD_SYSFS_ROOT");
            out.println("No accelerator found (looked in " + (sysfs != null ? sysfs : "/sys/class/uacce") + ").");
            out.println("Streams are served by the software engine (native library "
                    + WarpDrive.nativeVersion() + ").");
            fallbackNote(out);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ID", "NUMA", "FREE QUEUES", "MODE", "API", "ALGORITHMS", "STATUS"});
        List<String> usable = new ArrayList<>();
        boolean root = isRoot();
        for (Accelerator a : all) {
            String status = status(a, mask, root);
            if (status.equals("ready")) {
                usable.add(a.name());
            }
            rows.add(new String[] {a.name(), Integer.toString(a.id()), Integer.toString(a.numaNode()),
                Integer.toString(a.availableInstances()), a.sva() ? "SVA" : "NOSVA", a.api(),
                String.join(" ", a.algorithms()), status});
        }
        printTable(out, rows);
        out.println();
        if (usable.isEmpty()) {
            out.println("None of them can serve: streams are served by the software engine.");
        } else {
            String threshold = Config.get("warpdrive.threshold", "WD_HW_THRESHOLD");
            out.println("Streams are served by " + String.join(", ", usable) + ".");
            out.println("The software engine serves streams smaller than " + (threshold != null ? threshold : "1024")
                    + " bytes at their first request, and any stream while every queue is busy.");
        }
        fallbackNote(out);
    }

    private static String status(Accelerator a, String mask, boolean root) {
        if (a.isolated()) {
            return "isolated after errors";
        }
        if (!a.algorithms().contains(NEEDED_ALGORITHM)) {
            return "no " + NEEDED_ALGORITHM + " (left to software)";
        }
        if (!a.sva() && !root) {
            return "NOSVA needs root (skipped)";
        }
        if (mask != null && !mask.isBlank() && !inMask(mask, a.id())) {
            return "excluded by warpdrive.devices";
        }
        return "ready";
    }

    private static void fallbackNote(PrintStream out) {
        String fb = Config.get("warpdrive.fallback", "WD_FALLBACK");
        if (fb != null && (fb.equals("0") || fb.equalsIgnoreCase("false") || fb.equalsIgnoreCase("no")
                || fb.equalsIgnoreCase("off"))) {
            out.println("warpdrive.fallback=false: a stream a device fails raises AcceleratorException"
                    + " instead of moving to software.");
        }
    }

    /** Whether {@code id} is in a list like {@code 0,2-3} (the syntax of warpdrive.devices). */
    static boolean inMask(String mask, int id) {
        for (String part : mask.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int lo = Integer.parseInt(p.substring(0, dash).trim());
                    int hi = Integer.parseInt(p.substring(dash + 1).trim());
                    if (id >= lo && id <= hi) {
                        return true;
                    }
                } else if (!p.isEmpty() && Integer.parseInt(p) == id) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // the native side ignores what it cannot parse too
            }
        }
        return false;
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Columns left-aligned, two spaces apart; the last column is not padded. */
    static void printTable(PrintStream out, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                sb.append(c == cols - 1 ? r[c] : String.format(Locale.ROOT, "%-" + w[c] + "s  ", r[c]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
