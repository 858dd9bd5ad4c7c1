package io.warpdrive.zip.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.scijava.nativelib.NativeLibraryUtil;
import org.scijava.nativelib.NativeLoader;

/**
 * Finds, loads and binds the native library, once per class loader.
 *
 * <p>Order, as in zstd-jni: the path in {@code warpdrive.library.path}
 * when set (and nothing else), otherwise the copy bundled in the jar under
 * {@code natives/<platform>/}, extracted by native-lib-loader. Any failure
 * leaves {@link #available()} false with a one-sentence {@link #reason()}
 * and is logged once; callers then behave exactly as java.util.zip.
 */
public final class Loader {
    private static final System.Logger LOG = System.getLogger("io.warpdrive.zip");
    private static final String LIB = "warpdrive";
    /** System properties passed to the C library's configuration. */
    private static final String[] CONFIG_KEYS = {
        "sysfs", "dev", "emulate", "fallback", "devices", "threshold", "threads", "retain", "engine",
        "timeout",
    };

    private static final boolean AVAILABLE;
    private static final String REASON;
    private static final String PATH;

    static {
        String path = null;
        String reason = null;
        boolean explicit = false;
        try {
            String p = System.getProperty("warpdrive.library.path");
            explicit = p != null && !p.isEmpty();
            File lib = explicit ? explicitLibrary(p) : bundledLibrary();
            NativeLibrary nl = NativeLibrary.getInstance(lib.getAbsolutePath());
            Native.register(WdNative.class, nl);
            path = lib.getAbsolutePath();
            configure();
            bindIsal(explicit ? null : lib.getParentFile());
            int rc = WdNative.wds_init();
            if (rc != 0) {
                LOG.log(System.Logger.Level.WARNING,
                        "warpdrive-zip: emulated devices not started (error {0}); check warpdrive.emulate", rc);
            }
        } catch (Throwable t) { // UnsatisfiedLinkError, IOException, a JNA error: all mean "not available"
            reason = describe(t);
            path = null;
        }
        AVAILABLE = reason == null;
        REASON = reason;
        PATH = path;
        if (reason != null) {
            LOG.log(explicit ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                    "warpdrive-zip: native library unavailable, using java.util.zip: {0}", reason);
        }
    }

    private Loader() {
    }

    /** Whether the native library is loaded and bound. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Why the native library is not available, in one sentence; null when it is. */
    public static String reason() {
        return REASON;
    }

    /** The file the native library was loaded from; null when unavailable. */
    public static String path() {
        return PATH;
    }

    private static File explicitLibrary(String p) throws IOException {
        File f = new File(p);
        if (!f.isFile()) {
            throw new FileNotFoundException("warpdrive.library.path points to " + p + ", which does not exist");
        }
        return f;
    }

    private static File bundledLibrary() throws IOException {
        String dir = NativeLibraryUtil.getPlatformLibraryPath("natives/");
        String resource = dir + "lib" + LIB + ".so";
        if (Loader.class.getClassLoader().getResource(resource) == null) {
            throw new FileNotFoundException("no bundled native library for " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + " (looked for " + resource + ")");
        }
        File f = NativeLoader.getJniExtractor().extractJni(dir, LIB);
        if (f == null) {
            throw new IOException("cannot extract " + resource + " to " + System.getProperty("java.io.tmpdir"));
        }
        return f;
    }

    /** ISA-L ships beside our library when the build machine had it; the C side dlopens it by path. */
    private static void bindIsal(File dir) {
        try {
            String explicit = System.getProperty("warpdrive.isal.path");
            File isal = null;
            if (explicit != null && !explicit.isEmpty()) {
                isal = new File(explicit);
            } else if (dir != null) {
                String res = NativeLibraryUtil.getPlatformLibraryPath("natives/") + "libisal.so";
                if (Loader.class.getClassLoader().getResource(res) != null) {
                    isal = NativeLoader.getJniExtractor().extractJni(
                            NativeLibraryUtil.getPlatformLibraryPath("natives/"), "isal");
                }
            }
            if (isal != null && isal.isFile()) {
                WdNative.wds_config_set("isal", isal.getAbsolutePath());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "warpdrive-zip: ISA-L not available: {0}", e.toString());
        }
    }

    private static void configure() {
        for (String key : CONFIG_KEYS) {
            String v = System.getProperty("warpdrive." + key);
            if (v != null && WdNative.wds_config_set(key, v) != 0) {
                LOG.log(System.Logger.Level.WARNING, "warpdrive-zip: ignoring warpdrive.{0}={1}", key, v);
            }
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isEmpty()) {
            m = t.getClass().getSimpleName();
        }
        m = m.strip().replace('\n', ' ');
        if (t instanceof UnsatisfiedLinkError && m.toLowerCase(Locale.ROOT).contains("failed to map segment")) {
            m += " (is the temp directory mounted noexec? set java.io.tmpdir elsewhere)";
        }
        return m.endsWith(".") ? m : m + ".";
    }

    /** Runs a text-returning native query with a growing buffer. */
    static String text(java.util.function.BiFunction<byte[], Integer, Integer> call) {
        byte[] buf = new byte[4096];
        for (int i = 0; i < 8; i++) {
            int need = call.apply(buf, buf.length);
            if (need < 0) {
                return "";
            }
            if (need <= buf.length) {
                int n = 0;
                while (n < buf.length && buf[n] != 0) {
                    n++;
                }
                return new String(buf, 0, n, StandardCharsets.UTF_8);
            }
            buf = new byte[need];
        }
        return "";
    }
}
