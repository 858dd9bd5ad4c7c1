package io.warpdrive.zip.cli;

import io.warpdrive.zip.AcceleratorException;
import io.warpdrive.zip.WarpDrive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * gzip's file handling for one run: which files to take, the output name,
 * the checks gzip makes (suffix, links, existing output, symlinks), and
 * what happens to the input. The codec is {@link GzipWriter} and
 * {@link GzipReader}; outputs are written through {@link SafeOutput}.
 */
final class GzipFiles {
    /** Suffixes gzip recognises as compressed; .tgz and .taz decompress to .tar. */
    private static final String[] KNOWN_SUFFIXES = {".gz", ".z", ".taz", ".tgz", "-gz", "-z", "_z"};
    private static final String STDIN = "stdin";

    private final Options o;
    private final Io io;
    private final Reporter rep;
    private final Charset nameCharset;
    /** Directories being walked by -r, by file key (device and inode). */
    private final Set<Object> openDirs = new HashSet<>();

    GzipFiles(Options o, Io io, Reporter rep) {
        this.o = o;
        this.io = io;
        this.rep = rep;
        String jnu = System.getProperty("sun.jnu.encoding");
        this.nameCharset = jnu != null && Charset.isSupported(jnu) ? Charset.forName(jnu) : Charset.defaultCharset();
    }

    private boolean compressing() {
        return !o.decompress && !o.test;
    }

    /** Runs over the operands (stdin when there are none). */
    void run() {
        if (!terminalAllowed()) {
            return;
        }
        // Load the native library now, so the first file's throughput (-v) does not include it.
        WarpDrive.nativeAvailable();
        if (o.files.isEmpty()) {
            stdin();
        }
        for (String f : o.files) {
            if (rep.stopped()) {
                break;
            }
            if (f.equals("-")) {
                stdin();
            } else {
                operand(Path.of(f));
            }
        }
        try {
            io.out.flush();
        } catch (IOException e) {
            rep.error("stdout: " + reason(e));
        }
    }

    /** gzip refuses to put compressed data on, or take it from, a terminal unless forced. */
    private boolean terminalAllowed() {
        if (o.force) {
            return true;
        }
        boolean usesStdin = o.files.isEmpty() || o.files.contains("-");
        if (compressing() && io.outTty && (o.toStdout || usesStdin)) {
            rep.error("compressed data not written to a terminal. Use -f to force compression.\n"
                    + "For help, type: " + Reporter.PROGRAM + " -h");
            return false;
        }
        if (!compressing() && io.inTty && usesStdin) {
            rep.error("compressed data not read from a terminal. Use -f to force decompression.\n"
                    + "For help, type: " + Reporter.PROGRAM + " -h");
            return false;
        }
        return true;
    }

    private void stdin() {
        try {
            if (compressing()) {
                long mtime = o.name == Boolean.FALSE ? 0 : stdinMtime();
                Gzip.Transfer t = GzipWriter.compress(io.in, io.out, o.level, null, mtime);
                verbose(STDIN, t.bytesIn(), t.bytesOut(), null, t);
            } else {
                GzipReader r = new GzipReader(io.in);
                try {
                    r.readFirstHeader();
                } catch (GzipReader.NotGzipException e) {
                    if (o.force && !o.test) {
                        r.copyRaw(io.out);
                        return;
                    }
                    throw e;
                }
                Gzip.Transfer t = r.decompress(o.test ? OutputStream.nullOutputStream() : io.out);
                finishDecompress(STDIN, r, t, null);
            }
        } catch (IOException e) {
            failed(STDIN, e);
        } catch (AcceleratorException e) {
            // warpdrive.fallback=false and a device failed
            rep.error(STDIN + ": " + e.getMessage());
        }
    }

    /** stdin's mtime when it is a regular file, as gzip stores it; 0 for pipes. */
    private static long stdinMtime() {
        Path fd0 = Path.of("/proc/self/fd/0");
        try {
            if (Files.isRegularFile(fd0)) {
                return Files.getLastModifiedTime(fd0).toMillis() / 1000;
            }
        } catch (IOException | SecurityException e) {
            // not a file we can stat
        }
        return 0;
    }

    private void operand(Path p) {
        if (!compressing() && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            // gzip -d x finds x.gz
            Path withSuffix = p.resolveSibling(p.getFileName() + o.suffix);
            if (Files.exists(withSuffix, LinkOption.NOFOLLOW_LINKS)) {
                p = withSuffix;
            }
        }
        entry(p);
    }

    private void entry(Path p) {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                if (!o.force) {
                    // gzip opens with O_NOFOLLOW: ELOOP
                    rep.error(p + ": Too many levels of symbolic links");
                    return;
                }
                a = Files.readAttributes(p, PosixFileAttributes.class);
            }
        } catch (IOException e) {
            rep.error(p + ": " + reason(e));
            return;
        }
        if (a.isDirectory()) {
            if (!o.recursive) {
                rep.warn(p + " is a directory -- ignored");
            } else if (a.fileKey() != null && !openDirs.add(a.fileKey())) {
                // -rf follows links; one back up the tree would recurse forever
                rep.warn(p + ": directory loop -- ignored");
            } else {
                try {
                    directory(p);
                } finally {
                    openDirs.remove(a.fileKey());
                }
            }
        } else if (!a.isRegularFile()) {
            rep.warn(p + " is not a directory or a regular file - ignored");
        } else if (compressing()) {
            compressFile(p, a);
        } else {
            decompressFile(p, a);
        }
    }

    private void directory(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        } catch (IOException e) {
            rep.error(dir + ": " + reason(e));
            return;
        }
        entries.sort(null);
        for (Path e : entries) {
            if (rep.stopped()) {
                return;
            }
            entry(e);
        }
    }

    private void compressFile(Path p, PosixFileAttributes a) {
        String name = p.getFileName().toString();
        if (!o.toStdout) {
            String suf = knownSuffix(name);
            if (suf != null && !o.force) {
                if (o.verbose > 0 || !o.recursive) {
                    rep.note(p + " already has " + suf + " suffix -- unchanged");
                }
                return;
            }
            if (!o.force && links(p) > 1) {
                long others = links(p) - 1;
                rep.warn(p + " has " + others + " other link" + (others > 1 ? "s" : "") + " -- file ignored");
                return;
            }
        }
        byte[] fname = o.name == Boolean.FALSE ? null : name.getBytes(nameCharset);
        long mtime = o.name == Boolean.FALSE ? 0 : a.lastModifiedTime().toMillis() / 1000;
        if (o.toStdout) {
            try (InputStream in = Files.newInputStream(p)) {
                Gzip.Transfer t = GzipWriter.compress(in, io.out, o.level, fname, mtime);
                verbose(p.toString(), t.bytesIn(), t.bytesOut(), null, t);
            } catch (IOException e) {
                failed(p.toString(), e);
            } catch (AcceleratorException e) {
                rep.error(p + ": " + e.getMessage());
            }
            return;
        }
        Path target = p.resolveSibling(name + o.suffix);
        if (!mayWrite(target)) {
            return;
        }
        try (InputStream in = Files.newInputStream(p); SafeOutput out = SafeOutput.create(target)) {
            Gzip.Transfer t = GzipWriter.compress(in, out.stream(), o.level, fname, mtime);
            out.commit(a, null);
            removeInput(p);
            verbose(p.toString(), t.bytesIn(), t.bytesOut(), target, t);
        } catch (IOException e) {
            failed(p.toString(), e);
        } catch (AcceleratorException e) {
            rep.error(p + ": " + e.getMessage());
        }
    }

    private void decompressFile(Path p, PosixFileAttributes a) {
        String name = p.getFileName().toString();
        String stem = null;
        boolean toFile = !o.toStdout && !o.test;
        if (toFile) {
            stem = stripSuffix(name);
            if (stem == null) {
                if (o.verbose > 0 || (!o.recursive && !o.quiet)) {
                    rep.warn(p + ": unknown suffix -- ignored");
                }
                return;
            }
        }
        try (InputStream in = Files.newInputStream(p)) {
            GzipReader r = new GzipReader(in);
            GzipReader.Header h;
            try {
                h = r.readFirstHeader();
            } catch (GzipReader.NotGzipException e) {
                if (o.force && o.toStdout) {
                    r.copyRaw(io.out);
                    return;
                }
                throw e;
            }
            if (!toFile) {
                Gzip.Transfer t = r.decompress(o.test ? OutputStream.nullOutputStream() : io.out);
                finishDecompress(p.toString(), r, t, null);
                return;
            }
            boolean restore = o.name == Boolean.TRUE;
            String restored = restore ? headerName(h) : null;
            Path target = p.resolveSibling(restored != null ? restored : stem);
            if (target.equals(p) || !mayWrite(target)) {
                if (target.equals(p)) {
                    rep.warn(p + ": name in header is the file's own name -- ignored");
                }
                return;
            }
            FileTime mtime = restore && h.mtime() != 0 ? FileTime.fromMillis(h.mtime() * 1000) : null;
            Gzip.Transfer t;
            try (SafeOutput out = SafeOutput.create(target)) {
                t = r.decompress(out.stream());
                out.commit(a, mtime);
            }
            removeInput(p);
            finishDecompress(p.toString(), r, t, target);
        } catch (IOException e) {
            failed(p.toString(), e);
        } catch (AcceleratorException e) {
            rep.error(p + ": " + e.getMessage());
        }
    }

    private void finishDecompress(String what, GzipReader r, Gzip.Transfer t, Path target) {
        if (o.test) {
            if (o.verbose > 0) {
                rep.verbose(what + ":\t OK" + engineNote(t, t.bytesOut()));
            }
        } else {
            verbose(what, t.bytesOut(), t.bytesIn(), target, t);
        }
        if (r.trailingGarbage()) {
            rep.warn(what + ": decompression OK, trailing garbage ignored");
        }
    }

    private void failed(String what, IOException e) {
        if (writesStdout() && "Broken pipe".equals(e.getMessage())) {
            rep.stdoutClosed();
        } else {
            rep.error(what + ": " + reason(e));
        }
    }

    private boolean writesStdout() {
        return (o.toStdout || o.files.isEmpty() || o.files.contains("-")) && !o.test;
    }

    /** Output may be written unless it exists and -f was not given (gzip never asks here). */
    private boolean mayWrite(Path target) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!o.force || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                rep.warn(target + " already exists;\tnot overwritten");
                return false;
            }
        }
        return true;
    }

    private void removeInput(Path p) throws IOException {
        if (!o.keep) {
            Files.delete(p);
        }
    }

    private long links(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:nlink")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    /** gzip -v's line, plus the engine that served and the throughput. */
    private void verbose(String what, long plain, long packed, Path target, Gzip.Transfer t) {
        if (o.verbose == 0) {
            return;
        }
        double ratio = plain == 0 ? 0 : 100.0 * (plain - packed) / plain;
        StringBuilder sb = new StringBuilder(what).append(":\t").append(String.format(Locale.ROOT, "%5.1f%%", ratio));
        if (target != null) {
            sb.append(o.keep ? " -- created " : " -- replaced with ").append(target);
        }
        rep.verbose(sb.append(engineNote(t, plain)).toString());
    }

    private static String engineNote(Gzip.Transfer t, long plain) {
        return String.format(Locale.ROOT, "  [engine %s, %.1f MB/s]", t.engine(), t.mbPerSecond(plain));
    }

    /** The known compressed suffix {@code name} ends with, or null. */
    private String knownSuffix(String name) {
        if (name.endsWith(o.suffix) && name.length() > o.suffix.length()) {
            return o.suffix;
        }
        for (String s : KNOWN_SUFFIXES) {
            if (name.endsWith(s) && name.length() > s.length()) {
                return s;
            }
        }
        return null;
    }

    /** The decompressed name: the suffix removed, .tgz/.taz made .tar; null when there is none. */
    String stripSuffix(String name) {
        String s = knownSuffix(name);
        if (s == null) {
            return null;
        }
        String stem = name.substring(0, name.length() - s.length());
        return s.equals(".tgz") || s.equals(".taz") ? stem + ".tar" : stem;
    }

    /** The header's FNAME as a file name in the input's directory, or null when unusable. */
    private String headerName(GzipReader.Header h) {
        if (h.name() == null || h.name().length == 0) {
            return null;
        }
        String n = new String(h.name(), nameCharset);
        n = n.substring(n.lastIndexOf('/') + 1);
        return n.isEmpty() || n.equals(".") || n.equals("..") ? null : n;
    }

    /** An exception as gzip words the matching errno. */
    static String reason(IOException e) {
        if (e instanceof Gzip.FormatException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemLoopException) {
            return "Too many levels of symbolic links";
        }
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        // NIO messages often lead with the path we print ourselves.
        int colon = m.lastIndexOf(": ");
        return colon >= 0 && m.startsWith("/") ? m.substring(colon + 2) : m;
    }
}
