package io.warpdrive.zip.agent;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpdrive.zip.HwGZIPOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The transformer on programs compiled by javac for Java 8 and 17: every
 * creation becomes the Hw twin, everything else stays, and the result
 * passes the JVM's verifier and runs.
 */
class ZipTransformerTest {
    private static final String FIXTURE = "fixture.app.Creations";
    private static final String SOURCE = """
            package fixture.app;

            import java.io.*;
            import java.nio.charset.StandardCharsets;
            import java.util.*;
            import java.util.function.*;
            import java.util.zip.*;

            public class Creations implements Supplier<Map<String, Object>> {
                public static class OwnDeflater extends Deflater {
                    public OwnDeflater() { super(9, true); }
                }
                public static class OwnGzip extends GZIPOutputStream {
                    public OwnGzip(OutputStream out) throws IOException {
                        super(new DeflaterOutputStream(out, new Deflater(1)), 1024);
                    }
                }
                public static class OwnZip extends ZipOutputStream {
                    public OwnZip(OutputStream out) { super(out); }
                }

                static boolean flag = true;
                static final byte[] DATA = new byte[300000];
                static {
                    for (int i = 0; i < DATA.length; i++) {
                        DATA[i] = (byte) ("the quick brown fox " + (i % 97)).charAt(i % 20);
                    }
                }

                public Map<String, Object> get() {
                    try {
                        return create();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                private static ByteArrayInputStream in(byte[] b) { return new ByteArrayInputStream(b); }

                private Map<String, Object> create() throws IOException {
                    Map<String, Object> m = new LinkedHashMap<String, Object>();
                    OutputStream sink = new ByteArrayOutputStream();
                    Deflater d = new Deflater();
                    m.put("Deflater()", d);
                    m.put("Deflater(int)", new Deflater(3));
                    m.put("Deflater(int,boolean)", new Deflater(flag ? 1 : 9, true));
                    m.put("Inflater()", new Inflater());
                    m.put("Inflater(boolean)", new Inflater(true));
                    m.put("DeflaterOutputStream(OutputStream)", new DeflaterOutputStream(sink));
                    m.put("DeflaterOutputStream(OutputStream,boolean)", new DeflaterOutputStream(sink, true));
                    m.put("DeflaterOutputStream(OutputStream,Deflater)", new DeflaterOutputStream(sink, d));
                    m.put("DeflaterOutputStream(OutputStream,Deflater,boolean)", new DeflaterOutputStream(sink, d, true));
                    m.put("DeflaterOutputStream(OutputStream,Deflater,int)", new DeflaterOutputStream(sink, d, 1024));
                    m.put("DeflaterOutputStream(OutputStream,Deflater,int,boolean)",
                            new DeflaterOutputStream(sink, d, 1024, true));
                    ByteArrayOutputStream z = new ByteArrayOutputStream();
                    DeflaterOutputStream zout = new DeflaterOutputStream(z);
                    zout.write(DATA);
                    zout.close();
                    m.put("InflaterInputStream(InputStream)", new InflaterInputStream(in(z.toByteArray())));
                    m.put("InflaterInputStream(InputStream,Inflater)",
                            new InflaterInputStream(in(z.toByteArray()), new Inflater()));
                    m.put("InflaterInputStream(InputStream,Inflater,int)",
                            new InflaterInputStream(in(z.toByteArray()), new Inflater(), 1024));
                    m.put("GZIPOutputStream(OutputStream)", new GZIPOutputStream(sink));
                    m.put("GZIPOutputStream(OutputStream,boolean)", new GZIPOutputStream(sink, true));
                    m.put("GZIPOutputStream(OutputStream,int)", new GZIPOutputStream(sink, 4096));
                    m.put("GZIPOutputStream(OutputStream,int,boolean)", new GZIPOutputStream(sink, 4096, false));
                    ByteArrayOutputStream g = new ByteArrayOutputStream();
                    GZIPOutputStream gout = new GZIPOutputStream(g);
                    gout.write(DATA);
                    gout.finish();
                    m.put("roundtrip gzip writer", gout);
                    gout.close();
                    m.put("GZIPInputStream(InputStream)", new GZIPInputStream(in(g.toByteArray())));
                    m.put("GZIPInputStream(InputStream,int)", new GZIPInputStream(in(g.toByteArray()), 4096));
                    m.put("ZipOutputStream(OutputStream)", new ZipOutputStream(sink));
                    m.put("ZipOutputStream(OutputStream,Charset)", new ZipOutputStream(sink, StandardCharsets.UTF_8));
                    m.put("DeflaterOutputStream nested", new DeflaterOutputStream(
                            new DeflaterOutputStream(sink, new Deflater(1)), new Deflater(flag ? 2 : 3), 512));
                    m.put("Deflater::new", ((Supplier<Deflater>) Deflater::new).get());
                    m.put("Inflater::new(boolean)", ((Function<Boolean, Inflater>) Inflater::new).apply(true));
                    Supplier<Deflater> inLambda = () -> new Deflater(Deflater.BEST_SPEED);
                    m.put("Deflater in a lambda", inLambda.get());
                    m.put("serializable Deflater::new", ((Supplier<Deflater> & Serializable) Deflater::new).get());
                    m.put("OwnDeflater", new OwnDeflater());
                    m.put("OwnGzip", new OwnGzip(sink));
                    m.put("OwnZip", new OwnZip(sink));
                    m.put("roundtrip gzip", readGzip(g.toByteArray()));
                    m.put("roundtrip zip", zipAndBack());
                    return m;
                }

                private static byte[] readGzip(byte[] gz) throws IOException {
                    GZIPInputStream in = new GZIPInputStream(in(gz));
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                    }
                    in.close();
                    return out.toByteArray();
                }

                private static byte[] zipAndBack() throws IOException {
                    ByteArrayOutputStream bos = new ByteArrayOutputStream();
                    ZipOutputStream zos = new ZipOutputStream(bos);
                    zos.putNextEntry(new ZipEntry("a.txt"));
                    zos.write(DATA);
                    zos.closeEntry();
                    zos.close();
                    return bos.toByteArray();
                }
            }
            """;
    private static final String PLAIN = """
            package fixture.app;

            public class Plain {
                public String hello() { return "hello"; }
            }
            """;

    private static final Map<Integer, Map<String, byte[]>> COMPILED = new HashMap<>();
    private static final List<Closeable> OPENED = new java.util.ArrayList<>();

    @BeforeAll
    static void compileFixtures(@TempDir Path tmp) throws IOException {
        for (int release : new int[] {8, 17}) {
            COMPILED.put(release, FixtureCompiler.compile(release, tmp,
                    Map.of(FIXTURE, SOURCE, "fixture.app.Plain", PLAIN)));
        }
    }

    @AfterAll
    static void closeStreams() throws IOException {
        for (Closeable c : OPENED) {
            c.close();
        }
    }

    private static ZipTransformer transformer(String options) {
        return new ZipTransformer(AgentOptions.parse(options), Replacements.JDK, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(int release, ZipTransformer t) throws ReflectiveOperationException {
        RewritingLoader loader = new RewritingLoader(COMPILED.get(release), t);
        Object fixture = loader.loadClass(FIXTURE).getConstructor().newInstance();
        Map<String, Object> created = ((Supplier<Map<String, Object>>) fixture).get();
        for (Object o : created.values()) {
            if (o instanceof Closeable) {
                OPENED.add((Closeable) o);
            }
        }
        return created;
    }

    @ParameterizedTest(name = "compiled for Java {0}")
    @ValueSource(ints = {8, 17})
    void everyConstructorOfEveryReplacedClassCreatesTheHwTwin(int release) throws Exception {
        assertEquals(release == 8 ? 52 : 61, FixtureCompiler.majorVersion(COMPILED.get(release).get(FIXTURE)));
        Map<String, Object> created = run(release, transformer(null));
        int checked = 0;
        for (Map.Entry<String, Object> e : created.entrySet()) {
            String label = e.getKey();
            String jdk = label.split("[(: ]")[0];
            if (!Character.isUpperCase(jdk.charAt(0)) || jdk.startsWith("Own")) {
                continue;
            }
            assertEquals("io.warpdrive.zip.Hw" + jdk, e.getValue().getClass().getName(), label);
            checked++;
        }
        assertEquals(26, checked, "creations checked: " + created.keySet());
    }

    @ParameterizedTest(name = "compiled for Java {0}")
    @ValueSource(ints = {8, 17})
    void userSubclassesKeepTheirJdkParent(int release) throws Exception {
        Map<String, Object> created = run(release, transformer(null));
        assertEquals(Deflater.class, created.get("OwnDeflater").getClass().getSuperclass());
        assertEquals(java.util.zip.GZIPOutputStream.class, created.get("OwnGzip").getClass().getSuperclass());
        assertEquals(java.util.zip.ZipOutputStream.class, created.get("OwnZip").getClass().getSuperclass());
    }

    @ParameterizedTest(name = "compiled for Java {0}")
    @ValueSource(ints = {8, 17})
    void serializableMethodReferencesAreLeftAlone(int release) throws Exception {
        Map<String, Object> created = run(release, transformer(null));
        assertEquals(Deflater.class, created.get("serializable Deflater::new").getClass());
    }

    @ParameterizedTest(name = "compiled for Java {0}")
    @ValueSource(ints = {8, 17})
    void rewrittenCodeRoundTripsOnTheEngineOfThisRun(int release) throws Exception {
        Map<String, Object> created = run(release, transformer(null));
        byte[] zip = (byte[]) created.get("roundtrip zip");
        try (ZipInputStream zin = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            assertEquals("a.txt", zin.getNextEntry().getName());
            assertEquals(300_000, zin.readAllBytes().length);
        }
        byte[] back = (byte[]) created.get("roundtrip gzip");
        assertEquals(300_000, back.length);
        assertEquals((byte) 't', back[0]);
        Mode.assertBigStreamEngine(((HwGZIPOutputStream) created.get("roundtrip gzip writer")).engine());
    }

    @Test
    void withoutTheAgentTheFixtureUsesJavaUtilZip() throws Exception {
        Map<String, Object> created = run(17, transformer("include=no.such.package"));
        assertEquals(Deflater.class, created.get("Deflater()").getClass());
        assertEquals(Inflater.class, created.get("Inflater::new(boolean)").getClass());
    }

    @Test
    void excludedAndUnselectedPackagesAreLeftAlone() throws Exception {
        Map<String, Object> excluded = run(17, transformer("exclude=fixture"));
        assertEquals(Deflater.class, excluded.get("Deflater()").getClass());
        Map<String, Object> elsewhere = run(17, transformer("include=com.acme"));
        assertEquals(Deflater.class, elsewhere.get("Deflater()").getClass());
        Map<String, Object> included = run(17, transformer("include=fixture.app"));
        assertEquals("io.warpdrive.zip.HwDeflater", included.get("Deflater()").getClass().getName());
    }

    @Test
    void jdkClassesOurOwnAndClassesWithoutCreationsAreNeverChanged() {
        ZipTransformer t = transformer(null);
        byte[] fixture = COMPILED.get(17).get(FIXTURE);
        ClassLoader app = getClass().getClassLoader();
        for (String name : new String[] {"java/util/Foo", "javax/x/Y", "jdk/internal/Z", "sun/misc/W",
            "com/sun/jna/V", "io/warpdrive/zip/cli/Demo", "io/warpdrive/zip/shaded/asm/U"}) {
            assertNull(t.transform(app, name, null, null, fixture), name);
        }
        assertNull(t.transform(null, "fixture/app/Creations", null, null, fixture), "bootstrap loader");
        assertNotNull(t.transform(app, "fixture/app/Creations", null, null, fixture));
        assertNull(t.transform(app, "fixture/app/Plain", null, null, COMPILED.get(17).get("fixture.app.Plain")));
    }

    @Test
    void aClassLoaderThatCannotSeeTheHwClassesIsSkipped() {
        ClassLoader isolated = new ClassLoader("isolated", ClassLoader.getPlatformClassLoader()) {
        };
        assertFalse(transformer(null).eligible("fixture/app/Creations", isolated));
        assertTrue(transformer(null).eligible("fixture/app/Creations", getClass().getClassLoader()));
    }

    @Test
    void aClassFileThatCannotBeReadLoadsUnchanged() {
        byte[] junk = "not a class java/util/zip/Deflater".getBytes(StandardCharsets.US_ASCII);
        String log = capturedErr(() -> assertNull(
                transformer(null).transform(getClass().getClassLoader(), "fixture/Junk", null, null, junk)));
        assertTrue(log.contains("left fixture.Junk unchanged"), log);
    }

    @Test
    void verboseLogsEachRewrittenSiteOnceWithClassMethodAndWhat() {
        ZipTransformer t = transformer("verbose");
        byte[] fixture = COMPILED.get(17).get(FIXTURE);
        String first = capturedErr(() -> assertNotNull(
                t.transform(getClass().getClassLoader(), "fixture/app/Creations", null, null, fixture)));
        String again = capturedErr(() -> assertNotNull(
                t.transform(getClass().getClassLoader(), "fixture/app/Creations", null, null, fixture)));
        assertTrue(first.contains(Log.PREFIX + "fixture.app.Creations.create() line "), first);
        assertTrue(first.contains(": new java.util.zip.Deflater(int, boolean) -> io.warpdrive.zip.HwDeflater"), first);
        assertTrue(first.contains(": java.util.zip.Inflater::new (boolean) -> io.warpdrive.zip.HwInflater"), first);
        assertTrue(first.contains("fixture.app.Creations.readGzip(byte[]) line "), first);
        assertTrue(first.contains("fixture.app.Creations.lambda$create$0() line "), first);
        // 33 creations and 2 method references; the serializable reference and super(...) calls are not sites
        assertEquals(35, first.lines().filter(l -> l.startsWith(Log.PREFIX)).count(), first);
        assertEquals("", again, "the same class transformed again logs nothing new");
    }

    private static String capturedErr(Runnable r) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /**
     * Bytecode no Java compiler writes (a {@code NEW} dropped without its
     * constructor call): the method is left exactly as it was rather than
     * half rewritten.
     */
    @Test
    void aMethodWhoseCreationsDoNotPairUpIsLeftAlone() throws Exception {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "fixture/Odd", null, "java/lang/Object",
                new String[] {"java/util/function/Supplier"});
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor get = cw.visitMethod(Opcodes.ACC_PUBLIC, "get", "()Ljava/lang/Object;", null, null);
        get.visitCode();
        get.visitTypeInsn(Opcodes.NEW, "java/util/zip/Deflater");
        get.visitInsn(Opcodes.POP);
        get.visitTypeInsn(Opcodes.NEW, "java/util/zip/Deflater");
        get.visitInsn(Opcodes.DUP);
        get.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/util/zip/Deflater", "<init>", "()V", false);
        get.visitInsn(Opcodes.ARETURN);
        get.visitMaxs(0, 0);
        get.visitEnd();
        cw.visitEnd();
        byte[] odd = cw.toByteArray();
        ZipTransformer t = transformer(null);
        assertNull(t.transform(getClass().getClassLoader(), "fixture/Odd", null, null, odd));
        RewritingLoader loader = new RewritingLoader(Map.of("fixture.Odd", odd), t);
        Object made = ((Supplier<?>) loader.loadClass("fixture.Odd").getConstructor().newInstance()).get();
        assertEquals(Deflater.class, made.getClass());
        ((Deflater) made).end();
    }

    @Test
    void theRewrittenClassDiffersOnlyInTheCreations() {
        byte[] before = COMPILED.get(8).get("fixture.app.Creations$OwnDeflater");
        assertNull(transformer(null).transform(getClass().getClassLoader(), "fixture/app/Creations$OwnDeflater",
                null, null, before), "a subclass constructor has no creation to rewrite");
        byte[] gzip = COMPILED.get(8).get("fixture.app.Creations$OwnGzip");
        byte[] after = transformer(null).transform(getClass().getClassLoader(), "fixture/app/Creations$OwnGzip",
                null, null, gzip);
        assertNotNull(after, "the creations inside super(...) arguments are rewritten");
        assertArrayEquals(new byte[] {gzip[4], gzip[5], gzip[6], gzip[7]},
                new byte[] {after[4], after[5], after[6], after[7]}, "class file version kept");
        String text = new String(after, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("java/util/zip/GZIPOutputStream"), "the superclass is still the JDK's");
        assertTrue(text.contains("io/warpdrive/zip/HwDeflaterOutputStream"));
        assertTrue(text.contains("io/warpdrive/zip/HwDeflater"));
    }
}
