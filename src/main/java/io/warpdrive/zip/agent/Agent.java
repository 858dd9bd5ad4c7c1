package io.warpdrive.zip.agent;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java agent that puts existing code on WarpDrive without changing it.
 *
 * <p>At class load it rewrites every object creation of
 * {@code java.util.zip.Deflater}, {@code Inflater},
 * {@code DeflaterOutputStream}, {@code InflaterInputStream},
 * {@code GZIPOutputStream}, {@code GZIPInputStream} and
 * {@code ZipOutputStream} ({@code new X(...)} and {@code X::new}) in
 * application and library classes into the {@code io.warpdrive.zip.Hw*}
 * twin with the same constructor. Nothing else changes: {@code super(...)}
 * calls of user subclasses keep their JDK parent, classes of the JDK
 * ({@code java.*}, {@code javax.*}, {@code jdk.*}, {@code sun.*},
 * {@code com.sun.*}) and of this library are never touched, and classes
 * whose class loader cannot see this jar are skipped. The Hw classes fall
 * back to java.util.zip by themselves when the native library cannot load,
 * so rewritten code always runs.
 *
 * <p>Start it with the JVM, or attach it to a running JVM (the
 * {@code Agent-Class}), which also rewrites eligible classes already
 * loaded; objects created before that stay what they are, and a method
 * running at that moment keeps its old code until it is called again.
 *
 * <pre>
 * java -javaagent:warpdrive-zip-VERSION-all.jar[=OPTIONS] ...
 *
 * OPTIONS := OPTION [ ';' OPTION ]...
 * OPTION  := 'include=' NAMES     rewrite only classes under these names
 *          | 'exclude=' NAMES     never rewrite classes under these names (wins over include)
 *          | 'verbose'            log each rewritten site once, on standard error
 *          | 'off'                install nothing
 * NAMES   := NAME [ ',' NAME ]... a package or class name, e.g. com.acme or com.acme.App;
 *                                 it selects that class and the package's subpackages
 * </pre>
 *
 * <p>Example: {@code -javaagent:warpdrive-zip-0.1.0-all.jar=include=com.acme,org.apache.commons.compress;verbose}
 * (quote it in a shell: {@code ;} ends a command there). Options not
 * understood are reported on standard error and ignored.
 */
public final class Agent {
    /** Classes retransformed per call when attached; a failing batch is retried one class at a time. */
    private static final int RETRANSFORM_BATCH = 256;

    private static ZipTransformer installed;

    private Agent() {
    }

    /**
     * Entry point for {@code -javaagent}: installs the transformer before
     * the application's main class loads. Never throws.
     *
     * @param args the option string after {@code =}, or null
     * @param inst the JVM's instrumentation
     */
    public static void premain(String args, Instrumentation inst) {
        install(args, inst, false);
    }

    /**
     * Entry point for attaching to a running JVM: installs the transformer
     * and retransforms the eligible classes already loaded. Never throws.
     *
     * @param args the option string, or null
     * @param inst the JVM's instrumentation
     */
    public static void agentmain(String args, Instrumentation inst) {
        install(args, inst, true);
    }

    /**
     * Whether the agent's transformer is installed in this JVM.
     *
     * @return true after a successful premain or agentmain without {@code off}
     */
    public static synchronized boolean installed() {
        return installed != null;
    }

    private static synchronized void install(String args, Instrumentation inst, boolean attached) {
        try {
            AgentOptions options = AgentOptions.parse(args);
            options.warnings().forEach(Log::warn);
            if (options.off()) {
                if (options.verbose()) {
                    Log.info("off: nothing installed");
                }
                return;
            }
            if (installed != null) {
                Log.warn("already installed; options '" + args + "' ignored");
                return;
            }
            ZipTransformer t = new ZipTransformer(options, Replacements.JDK, inst);
            inst.addTransformer(t, true);
            installed = t;
            if (options.verbose()) {
                Log.info("installed (" + (attached ? "attached" : "premain") + "): " + options);
            }
            if (attached) {
                retransformLoaded(t, inst, options.verbose());
            }
        } catch (Throwable e) { // an agent that throws stops the JVM; the application must run regardless
            Log.warn("not installed: " + e);
        }
    }

    private static void retransformLoaded(ZipTransformer t, Instrumentation inst, boolean verbose) {
        if (!inst.isRetransformClassesSupported()) {
            Log.warn("this JVM cannot retransform classes; only classes loaded from now on are rewritten");
            return;
        }
        List<Class<?>> todo = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.isArray() && !c.isPrimitive() && !c.isHidden() && inst.isModifiableClass(c)
                    && t.eligible(c.getName().replace('.', '/'), c.getClassLoader())) {
                todo.add(c);
            }
        }
        int failed = 0;
        for (int i = 0; i < todo.size(); i += RETRANSFORM_BATCH) {
            List<Class<?>> batch = todo.subList(i, Math.min(todo.size(), i + RETRANSFORM_BATCH));
            try {
                inst.retransformClasses(batch.toArray(new Class<?>[0]));
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                failed += retransformOneByOne(inst, batch);
            }
        }
        if (verbose) {
            Log.info("retransformed " + (todo.size() - failed) + " loaded classes"
                    + (failed > 0 ? ", " + failed + " could not be" : ""));
        }
    }

    private static int retransformOneByOne(Instrumentation inst, List<Class<?>> batch) {
        int failed = 0;
        for (Class<?> c : batch) {
            try {
                inst.retransformClasses(c);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                failed++;
                Log.warn("cannot retransform " + c.getName() + ": " + e);
            }
        }
        return failed;
    }
}
