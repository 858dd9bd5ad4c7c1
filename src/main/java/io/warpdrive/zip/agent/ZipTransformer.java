package io.warpdrive.zip.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which classes the agent may touch and hands them to the
 * {@link CreationSiteRewriter}. Never throws: a class that cannot be
 * rewritten loads unchanged, with one warning.
 */
final class ZipTransformer implements ClassFileTransformer {
    /**
     * Never rewritten: the JDK itself (its classes cannot see ours, and the
     * Hw classes build on them) and this library, including its relocated ASM.
     */
    private static final String[] ALWAYS_EXCLUDED = {
        "java/", "javax/", "jdk/", "sun/", "com/sun/", "io/warpdrive/zip/",
    };
    /** A class the rewritten code needs; a class loader that cannot find it is skipped. */
    private static final String PROBE = "io/warpdrive/zip/HwDeflater.class";

    private final AgentOptions options;
    private final CreationSiteRewriter rewriter;
    private final Instrumentation inst; // null in tests: no module edges are added
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final Map<ClassLoader, Boolean> seesUs = new WeakHashMap<>();
    /** A class loaded while this thread transforms another one is not ours to rewrite. */
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

    ZipTransformer(AgentOptions options, Replacements table, Instrumentation inst) {
        this.options = options;
        this.rewriter = new CreationSiteRewriter(table);
        this.inst = inst;
    }

    /**
     * Whether a class may be rewritten: not the JDK's or ours, selected by
     * the options, and defined by a class loader that can see the Hw classes.
     *
     * @param internalName the class name with slashes
     * @param loader       its defining loader; null for the bootstrap loader
     */
    boolean eligible(String internalName, ClassLoader loader) {
        if (internalName == null || loader == null) {
            return false;
        }
        for (String p : ALWAYS_EXCLUDED) {
            if (internalName.startsWith(p)) {
                return false;
            }
        }
        return options.selects(internalName) && canSeeUs(loader);
    }

    private boolean canSeeUs(ClassLoader loader) {
        synchronized (seesUs) {
            Boolean known = seesUs.get(loader);
            if (known != null) {
                return known;
            }
        }
        boolean sees = loader.getResource(PROBE) != null;
        synchronized (seesUs) {
            seesUs.put(loader, sees);
        }
        if (!sees && options.verbose()) {
            Log.info("class loader " + loader + " cannot see io.warpdrive.zip; its classes are left alone");
        }
        return sees;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        byte[] out = transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
        if (out != null && module != null && module.isNamed()) {
            readOurModule(module);
        }
        return out;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (busy.get() != null) {
            return null;
        }
        busy.set(Boolean.TRUE);
        try {
            if (!eligible(className, loader)) {
                return null;
            }
            CreationSiteRewriter.Result r = rewriter.rewrite(classfileBuffer);
            if (r == null) {
                return null;
            }
            if (options.verbose()) {
                logSites(className, r);
            }
            return r.bytes();
        } catch (Throwable t) { // a class we cannot read must still load, as it was
            Log.warn("left " + String.valueOf(className).replace('/', '.') + " unchanged: " + t);
            return null;
        } finally {
            busy.remove();
        }
    }

    private void logSites(String className, CreationSiteRewriter.Result r) {
        String cls = className.replace('/', '.');
        int i = 0;
        for (CreationSiteRewriter.Site s : r.sites()) {
            // a retransformed class reports the same sites again: say each once
            if (logged.add(className + '#' + s.method() + '#' + i++)) {
                Log.info(cls + "." + s.method() + (s.line() > 0 ? " line " + s.line() : "") + ": " + s.what());
            }
        }
    }

    /** A named module must read ours before its rewritten code can name the Hw classes. */
    private void readOurModule(Module module) {
        Module ours = ZipTransformer.class.getModule();
        if (inst == null || module.canRead(ours) || !inst.isModifiableModule(module)) {
            return;
        }
        inst.redefineModule(module, Set.of(ours), Map.of(), Map.of(), Set.of(), Map.of());
    }
}
