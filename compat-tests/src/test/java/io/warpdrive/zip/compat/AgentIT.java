package io.warpdrive.zip.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar as a Java agent, in child JVMs, on programs that know
 * nothing of warpdrive-zip: a plain java.util.zip program compiled for
 * Java 8 and for Java 17, and a program using commons-compress's gzip,
 * deflate, ZIP and parallel ZIP writers (whose Deflaters are private).
 * The programs report the runtime class and engine() of what they
 * created (by reflection: they are not compiled against us) and
 * WarpDrive.statistics().
 */
class AgentIT {
    private static final String MODE = System.getProperty("wd.test.mode", "software");
    private static final Path JAR = Path.of(System.getProperty("wd.jar", "target/no-wd.jar"));
    private static final Path ALL_JAR = Path.of(System.getProperty("wd.jar.all", "target/no-wd-all.jar"));

    private static final String PROBE = """
            package demo.app;

            import java.lang.reflect.Method;
            import java.util.*;

            /** What the programs print: classes, engines, statistics. Reflection only. */
            public final class Probe {
                private Probe() {}

                public static String engine(Object o) {
                    try {
                        return (String) o.getClass().getMethod("engine").invoke(o);
                    } catch (NoSuchMethodException e) {
                        return "none";
                    } catch (Exception e) {
                        return "error:" + e;
                    }
                }

                public static void report(String what, Object o) {
                    System.out.println(what + " class=" + o.getClass().getName() + " engine=" + engine(o));
                }

                /** Streams served so far, per engine; empty without warpdrive-zip. */
                public static Map<String, Long> streams() {
                    Map<String, Long> m = new TreeMap<String, Long>();
                    try {
                        Object list = Class.forName("io.warpdrive.zip.WarpDrive").getMethod("statistics").invoke(null);
                        for (Object s : (List<?>) list) {
                            Method engine = s.getClass().getMethod("engine");
                            Method streams = s.getClass().getMethod("streams");
                            m.put((String) engine.invoke(s), (Long) streams.invoke(s));
                        }
                    } catch (ClassNotFoundException e) {
                        // not there
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    return m;
                }

                /** Streams each engine served since {@code before}, as engine:n;engine:n. */
                public static String delta(Map<String, Long> before) {
                    StringBuilder sb = new StringBuilder();
                    for (Map.Entry<String, Long> e : streams().entrySet()) {
                        Long b = before.get(e.getKey());
                        long d = e.getValue() - (b == null ? 0 : b);
                        if (d > 0) {
                            sb.append(sb.length() == 0 ? "" : ";").append(e.getKey()).append(':').append(d);
                        }
                    }
                    return sb.toString();
                }

                public static byte[] text(int n) {
                    byte[] b = new byte[n];
                    Random r = new Random(n);
                    String[] words = {"alpha ", "beta ", "gamma ", "delta ", "zip ", "\\n", "1234 "};
                    int i = 0;
                    while (i < n) {
                        byte[] w = words[r.nextInt(words.length)].getBytes();
                        for (int k = 0; k < w.length && i < n; k++) {
                            b[i++] = w[k];
                        }
                    }
                    return b;
                }
            }
            """;

    private static final String PLAIN = """
            package demo.app;

            import java.io.*;
            import java.util.*;
            import java.util.zip.*;

            /** A program that uses java.util.zip and knows nothing else. */
            public class PlainZip {
                public static void main(String[] args) throws Exception {
                    byte[] data = Probe.text(400000);
                    boolean ok = true;

                    ByteArrayOutputStream gz = new ByteArrayOutputStream();
                    GZIPOutputStream gout = new GZIPOutputStream(gz);
                    gout.write(data);
                    gout.finish();
                    Probe.report("GZIPOutputStream", gout);
                    gout.close();
                    GZIPInputStream gin = new GZIPInputStream(new ByteArrayInputStream(gz.toByteArray()));
                    ok &= Arrays.equals(data, readAll(gin));
                    Probe.report("GZIPInputStream", gin);
                    gin.close();

                    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                    d.setInput(data);
                    d.finish();
                    byte[] raw = new byte[data.length + 1024];
                    int n = d.deflate(raw);
                    ok &= d.finished();
                    Probe.report("Deflater", d);
                    d.end();
                    Inflater i = new Inflater(true);
                    i.setInput(raw, 0, n);
                    byte[] back = new byte[data.length];
                    ok &= i.inflate(back) == data.length && Arrays.equals(data, back);
                    Probe.report("Inflater", i);
                    i.end();

                    ByteArrayOutputStream z = new ByteArrayOutputStream();
                    DeflaterOutputStream dout = new DeflaterOutputStream(z);
                    dout.write(data);
                    dout.finish();
                    Probe.report("DeflaterOutputStream", dout);
                    dout.close();
                    InflaterInputStream iin = new InflaterInputStream(new ByteArrayInputStream(z.toByteArray()));
                    ok &= Arrays.equals(data, readAll(iin));
                    Probe.report("InflaterInputStream", iin);
                    iin.close();

                    ByteArrayOutputStream zip = new ByteArrayOutputStream();
                    ZipOutputStream zout = new ZipOutputStream(zip);
                    zout.putNextEntry(new ZipEntry("data.txt"));
                    zout.write(data);
                    zout.closeEntry();
                    Probe.report("ZipOutputStream", zout);
                    zout.close();
                    ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()));
                    ok &= "data.txt".equals(zin.getNextEntry().getName()) && Arrays.equals(data, readAll(zin));
                    zin.close();

                    System.out.println("roundtrip=" + (ok ? "ok" : "MISMATCH"));
                    System.out.println("streams=" + Probe.streams());
                }

                static byte[] readAll(InputStream in) throws IOException {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                    }
                    return out.toByteArray();
                }
            }
            """;

    private static final String ATTACH = """
            package demo.app;

            import com.sun.tools.attach.VirtualMachine;
            import java.util.zip.Deflater;

            /** Attaches the agent to itself half-way through. */
            public class AttachLater {
                static Object make() {
                    return new Deflater(1);
                }

                public static void main(String[] args) throws Exception {
                    System.out.println("before class=" + make().getClass().getName());
                    VirtualMachine vm = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
                    vm.loadAgent(args[0], args.length > 1 ? args[1] : null);
                    vm.detach();
                    Object after = make();
                    System.out.println("after class=" + after.getClass().getName());
                    System.out.println("installed=" + Class.forName("io.warpdrive.zip.agent.Agent")
                            .getMethod("installed").invoke(null));
                    System.out.println("lambda class=" + ((java.util.function.Supplier<?>) AttachLater::make).get()
                            .getClass().getName());
                }
            }
            """;

    private static final String COMMONS = """
            package demo.app;

            import java.io.*;
            import java.lang.reflect.Field;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.zip.*;
            import org.apache.commons.compress.archivers.zip.*;
            import org.apache.commons.compress.compressors.deflate.*;
            import org.apache.commons.compress.compressors.gzip.*;

            /** commons-compress writers and readers, as an application uses them. */
            public class CommonsCompressApp {
                static final byte[] DATA = Probe.text(600000);

                public static void main(String[] args) throws Exception {
                    File dir = new File(args[0]);
                    boolean ok = true;

                    Map<String, Long> before = Probe.streams();
                    ByteArrayOutputStream gz = new ByteArrayOutputStream();
                    GzipParameters p = new GzipParameters();
                    p.setFileName("data.txt");
                    GzipCompressorOutputStream gout = new GzipCompressorOutputStream(gz, p);
                    gout.write(DATA);
                    gout.close();
                    report("GzipCompressorOutputStream", gout, "deflater", before);
                    GzipCompressorInputStream gin = new GzipCompressorInputStream(new ByteArrayInputStream(gz.toByteArray()));
                    ok &= Arrays.equals(DATA, readAll(gin)) && "data.txt".equals(gin.getMetaData().getFileName());
                    gin.close();

                    before = Probe.streams();
                    ByteArrayOutputStream df = new ByteArrayOutputStream();
                    DeflateCompressorOutputStream dout = new DeflateCompressorOutputStream(df);
                    dout.write(DATA);
                    dout.close();
                    report("DeflateCompressorOutputStream", dout, "deflater", before);
                    DeflateCompressorInputStream din = new DeflateCompressorInputStream(new ByteArrayInputStream(df.toByteArray()));
                    ok &= Arrays.equals(DATA, readAll(din));
                    din.close();

                    before = Probe.streams();
                    File zipFile = new File(dir, "plain.zip");
                    ZipArchiveOutputStream zout = new ZipArchiveOutputStream(zipFile);
                    for (int i = 0; i < 3; i++) {
                        zout.putArchiveEntry(new ZipArchiveEntry("entry" + i + ".txt"));
                        zout.write(DATA);
                        zout.closeArchiveEntry();
                    }
                    zout.close();
                    report("ZipArchiveOutputStream", zout, "def", before);
                    ok &= readZip(zipFile, 3);

                    before = Probe.streams();
                    ExecutorService pool = Executors.newFixedThreadPool(2);
                    ParallelScatterZipCreator creator = new ParallelScatterZipCreator(pool);
                    for (int i = 0; i < 4; i++) {
                        ZipArchiveEntry e = new ZipArchiveEntry("parallel" + i + ".txt");
                        e.setMethod(ZipEntry.DEFLATED);
                        creator.addArchiveEntry(e, () -> new ByteArrayInputStream(DATA));
                    }
                    File parallel = new File(dir, "parallel.zip");
                    ZipArchiveOutputStream pout = new ZipArchiveOutputStream(parallel);
                    creator.writeTo(pout);
                    pout.close();
                    System.out.println("ParallelScatterZipCreator streams=" + Probe.delta(before));
                    ok &= readZip(parallel, 4);

                    System.out.println("roundtrip=" + (ok ? "ok" : "MISMATCH"));
                }

                static void report(String what, Object stream, String field, Map<String, Long> before) throws Exception {
                    Field f = stream.getClass().getDeclaredField(field);
                    f.setAccessible(true);
                    Object deflater = f.get(stream);
                    System.out.println(what + " deflater=" + deflater.getClass().getName()
                            + " engine=" + Probe.engine(deflater) + " streams=" + Probe.delta(before));
                }

                static boolean readZip(File file, int entries) throws IOException {
                    boolean ok = true;
                    int n = 0;
                    try (java.util.zip.ZipFile jdk = new java.util.zip.ZipFile(file)) {
                        for (Enumeration<? extends ZipEntry> en = jdk.entries(); en.hasMoreElements(); n++) {
                            ok &= Arrays.equals(DATA, readAll(jdk.getInputStream(en.nextElement())));
                        }
                    }
                    try (org.apache.commons.compress.archivers.zip.ZipFile cc =
                org.apache.commons.compress.archivers.zip.ZipFile.builder().setFile(file).get()) {
                        for (Enumeration<ZipArchiveEntry> en = cc.getEntries(); en.hasMoreElements(); ) {
                            ok &= Arrays.equals(DATA, readAll(cc.getInputStream(en.nextElement())));
                        }
                    }
                    return ok && n == entries;
                }

                static byte[] readAll(InputStream in) throws IOException {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                    }
                    return out.toByteArray();
                }
            }
            """;

    private static final String MODULE_INFO = "module demo.mod { }\n";
    private static final String MODULE_MAIN = """
            package demo.mod;

            import java.util.zip.Deflater;

            /** A program in a named module that reads java.base only. */
            public class Main {
                public static void main(String[] args) {
                    Deflater d = new Deflater();
                    d.setInput(new byte[100000]);
                    d.finish();
                    int n = d.deflate(new byte[200000]);
                    System.out.println("module class=" + d.getClass().getName() + " bytes=" + n
                            + " named=" + Main.class.getModule().isNamed());
                    d.end();
                }
            }
            """;

    private static final String LAUNCHER = """
            package demo.boot;

            import java.io.File;
            import java.net.URL;
            import java.net.URLClassLoader;
            import java.util.Arrays;

            /** Runs an application in its own class loader, as an application server does. */
            public class Launcher {
                public static void main(String[] args) throws Exception {
                    String[] parts = args[0].split(File.pathSeparator);
                    URL[] urls = new URL[parts.length];
                    for (int i = 0; i < parts.length; i++) {
                        urls[i] = new File(parts[i]).toURI().toURL();
                    }
                    URLClassLoader app = new URLClassLoader("webapp", urls, Launcher.class.getClassLoader());
                    app.loadClass(args[1]).getMethod("main", String[].class)
                            .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
                }
            }
            """;

    private static final String FACTORY_APP = """
            package demo.app;

            import java.io.*;
            import java.lang.reflect.Field;
            import java.util.Arrays;
            import org.apache.commons.compress.compressors.*;

            /** Uses CompressorStreamFactory from a class loader the agent jar's loader cannot see into. */
            public class FactoryApp {
                public static void main(String[] args) throws Exception {
                    byte[] data = Probe.text(300000);
                    System.out.println("loader=" + CompressorStreamFactory.class.getClassLoader().getName());
                    System.out.println("providers=" + CompressorStreamFactory.findAvailableCompressorOutputStreamProviders()
                            .containsKey("GZ"));
                    CompressorStreamFactory f = new CompressorStreamFactory();
                    ByteArrayOutputStream bos = new ByteArrayOutputStream();
                    CompressorOutputStream<?> out = f.createCompressorOutputStream("gz", bos);
                    out.write(data);
                    out.close();
                    Field d = out.getClass().getDeclaredField("deflater");
                    d.setAccessible(true);
                    System.out.println("gz deflater=" + d.get(out).getClass().getName());
                    InputStream in = f.createCompressorInputStream("gz", new ByteArrayInputStream(bos.toByteArray()));
                    ByteArrayOutputStream back = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        back.write(buf, 0, n);
                    }
                    System.out.println("roundtrip=" + (Arrays.equals(data, back.toByteArray()) ? "ok" : "MISMATCH"));
                }
            }
            """;

    @TempDir
    static Path work;
    private static Path plain8;
    private static Path plain17;
    private static Path commons;
    private static Path module;
    private static Path launcher;
    private static Path factoryApp;

    @BeforeAll
    static void compilePrograms() throws IOException {
        assertTrue(Files.isRegularFile(ALL_JAR), "run through failsafe after package: " + ALL_JAR);
        plain8 = compile("plain8", 8, "", Map.of("demo.app.Probe", PROBE, "demo.app.PlainZip", PLAIN));
        plain17 = compile("plain17", 17, "", Map.of("demo.app.Probe", PROBE, "demo.app.PlainZip", PLAIN,
                "demo.app.AttachLater", ATTACH));
        module = compile("module", 17, "", Map.of("module-info", MODULE_INFO, "demo.mod.Main", MODULE_MAIN));
        launcher = compile("launcher", 17, "", Map.of("demo.boot.Launcher", LAUNCHER));
        factoryApp = compile("factory", 17, commonsCompressClasspath(),
                Map.of("demo.app.Probe", PROBE, "demo.app.FactoryApp", FACTORY_APP));
        commons = compile("commons", 17, commonsCompressClasspath(),
                Map.of("demo.app.Probe", PROBE, "demo.app.CommonsCompressApp", COMMONS));
    }

    // ---------------------------------------------------------------- plain java.util.zip

    @ParameterizedTest(name = "compiled for Java {0}")
    @ValueSource(ints = {8, 17})
    void aPlainProgramRunsOnTheHwClassesUnderTheSelfContainedJar(int release) throws Exception {
        Child r = Child.run(List.of("-javaagent:" + ALL_JAR + "=verbose"),
                (release == 8 ? plain8 : plain17).toString(), "demo.app.PlainZip");
        r.assertOk();
        for (String jdk : new String[] {"GZIPOutputStream", "GZIPInputStream", "Deflater", "Inflater",
            "DeflaterOutputStream", "InflaterInputStream", "ZipOutputStream"}) {
            String line = r.line(jdk + " class=");
            assertTrue(line.startsWith(jdk + " class=io.warpdrive.zip.Hw" + jdk + " "), line);
            assertEngine(Child.field(line, "engine"));
        }
        assertTrue(r.out.contains("roundtrip=ok"), r.out);
        assertTrue(servedStreams(r.line("streams=")) >= 6, r.out);
        assertTrue(r.err.contains("[warpdrive-zip agent] demo.app.PlainZip.main(String[]) line "), r.err);
        assertTrue(r.err.contains("new java.util.zip.ZipOutputStream(OutputStream) -> io.warpdrive.zip.HwZipOutputStream"),
                r.err);
    }

    @Test
    void withoutTheAgentTheSameProgramRunsOnJavaUtilZip() throws Exception {
        Child r = Child.run(List.of(), plain17 + File.pathSeparator + ALL_JAR, "demo.app.PlainZip");
        r.assertOk();
        assertTrue(r.line("Deflater class=").startsWith("Deflater class=java.util.zip.Deflater "), r.out);
        assertTrue(r.line("GZIPOutputStream class=").contains("class=java.util.zip.GZIPOutputStream"), r.out);
        assertEquals("streams={}", r.line("streams="), "nothing served by warpdrive-zip");
    }

    @Test
    void theMainJarIsAnAgentTooWithItsDependenciesOnTheClassPath() throws Exception {
        String cp = String.join(File.pathSeparator, plain17.toString(), jarOf("com.sun.jna.Native"),
                jarOf("org.scijava.nativelib.NativeLoader"), jarOf("org.slf4j.LoggerFactory"));
        Child r = Child.run(List.of("-javaagent:" + JAR), cp, "demo.app.PlainZip");
        r.assertOk();
        String line = r.line("Deflater class=");
        assertTrue(line.startsWith("Deflater class=io.warpdrive.zip.HwDeflater "), line);
        assertEngine(Child.field(line, "engine"));
        assertTrue(r.out.contains("roundtrip=ok"), r.out);
        assertFalse(r.err.contains("[warpdrive-zip agent]"), "quiet without verbose: " + r.err);
    }

    @Test
    void withoutTheNativeLibraryTheRewrittenCodeRunsOnJavaUtilZip() throws Exception {
        Child r = Child.run(List.of("-javaagent:" + ALL_JAR, "-Dwarpdrive.library.path=" + work.resolve("none.so")),
                plain17.toString(), "demo.app.PlainZip");
        r.assertOk();
        String line = r.line("GZIPOutputStream class=");
        assertTrue(line.contains("class=io.warpdrive.zip.HwGZIPOutputStream engine=java.util.zip"), line);
        assertTrue(r.out.contains("roundtrip=ok"), r.out);
        assertTrue(r.line("streams=").contains("java.util.zip="), r.out);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"off", "exclude=demo.app", "include=com.acme;verbose"})
    void optionsCanLeaveTheProgramAlone(String options) throws Exception {
        Child r = Child.run(List.of("-javaagent:" + ALL_JAR + "=" + options), plain17.toString(), "demo.app.PlainZip");
        r.assertOk();
        assertTrue(r.line("Deflater class=").startsWith("Deflater class=java.util.zip.Deflater "), r.out);
        assertTrue(r.out.contains("roundtrip=ok"), r.out);
        assertFalse(r.err.contains("demo.app.PlainZip.main"), r.err);
    }

    @Test
    void attachingAtRunTimeRewritesClassesAlreadyLoaded() throws Exception {
        Child r = Child.run(List.of("-Djdk.attach.allowAttachSelf=true"), plain17.toString(),
                "demo.app.AttachLater", ALL_JAR.toString(), "verbose");
        r.assertOk();
        assertEquals("before class=java.util.zip.Deflater", r.line("before class="));
        assertEquals("after class=io.warpdrive.zip.HwDeflater", r.line("after class="));
        assertEquals("installed=true", r.line("installed="));
        assertEquals("lambda class=io.warpdrive.zip.HwDeflater", r.line("lambda class="));
        assertTrue(r.err.contains("installed (attached)"), r.err);
        assertTrue(r.err.contains("demo.app.AttachLater.make() line "), r.err);
    }

    @Test
    void codeInANamedModuleIsGivenReadAccessToTheHwClasses() throws Exception {
        Child r = Child.runModule(List.of("-javaagent:" + ALL_JAR), module, "demo.mod/demo.mod.Main");
        r.assertOk();
        String line = r.line("module class=");
        assertTrue(line.startsWith("module class=io.warpdrive.zip.HwDeflater "), line);
        assertTrue(line.endsWith(" named=true"), line);
    }

    // ---------------------------------------------------------------- commons-compress

    @Test
    void commonsCompressPrivateDeflatersBecomeOursUnderTheAgent() throws Exception {
        Path out = Files.createDirectories(work.resolve("commons-out"));
        Child r = Child.run(List.of("-javaagent:" + ALL_JAR + "=verbose"),
                commons + File.pathSeparator + commonsCompressClasspath(), "demo.app.CommonsCompressApp",
                out.toString());
        r.assertOk();
        for (String writer : new String[] {"GzipCompressorOutputStream", "DeflateCompressorOutputStream",
            "ZipArchiveOutputStream"}) {
            String line = r.line(writer + " deflater=");
            assertEquals("io.warpdrive.zip.HwDeflater", Child.field(line, "deflater"), line);
            assertEngine(Child.field(line, "engine"));
            assertServedHere(Child.field(line, "streams"), line);
        }
        assertServedHere(Child.field(r.line("ParallelScatterZipCreator streams="), "streams"), r.out);
        assertTrue(r.out.contains("roundtrip=ok"), r.out);
        String pkg = "[warpdrive-zip agent] org.apache.commons.compress.";
        for (String site : new String[] {
            "compressors.gzip.GzipCompressorOutputStream.<init>(OutputStream, GzipParameters)",
            "compressors.deflate.DeflateCompressorOutputStream.<init>(OutputStream, DeflateParameters)",
            "archivers.zip.ZipArchiveOutputStream.<init>(",
            "archivers.zip.StreamCompressor.create(int, ScatterGatherBackingStore)",
            "compressors.gzip.GzipCompressorInputStream.<init>(",
        }) {
            assertTrue(r.err.contains(pkg + site), site + " not in\n" + r.err);
        }
    }

    @Test
    void withoutTheAgentCommonsCompressKeepsTheJdkDeflater() throws Exception {
        Path out = Files.createDirectories(work.resolve("commons-plain"));
        Child r = Child.run(List.of(), commons + File.pathSeparator + commonsCompressClasspath()
                + File.pathSeparator + ALL_JAR, "demo.app.CommonsCompressApp", out.toString());
        r.assertOk();
        assertEquals("java.util.zip.Deflater", Child.field(r.line("GzipCompressorOutputStream deflater="), "deflater"));
        assertEquals("", Child.field(r.line("ParallelScatterZipCreator streams="), "streams"));
        assertTrue(r.out.contains("roundtrip=ok"), r.out);
    }

    /**
     * An application server's layout: the agent jar on the system class
     * path, commons-compress only in the application's class loader. The
     * agent still reaches commons-compress, and the factory's provider
     * lookup (which reads META-INF/services through the system class
     * loader) must not trip over a provider the system loader cannot load.
     */
    @Test
    void commonsCompressInAnApplicationClassLoaderKeepsWorkingUnderTheAgent() throws Exception {
        Child r = Child.run(List.of("-javaagent:" + ALL_JAR), launcher.toString(), "demo.boot.Launcher",
                factoryApp + File.pathSeparator + commonsCompressClasspath(), "demo.app.FactoryApp");
        r.assertOk();
        assertEquals("loader=webapp", r.line("loader="));
        assertEquals("providers=true", r.line("providers="));
        assertEquals("gz deflater=io.warpdrive.zip.HwDeflater", r.line("gz deflater="));
        assertTrue(r.out.contains("roundtrip=ok"), r.out);
    }

    // ---------------------------------------------------------------- helpers

    private static void assertEngine(String engine) {
        if (MODE.equals("emulated")) {
            assertTrue(engine.startsWith("hisi_zip-"), "expected the emulated device, got " + engine);
        } else {
            assertEquals("software", engine);
        }
    }

    /** A delta such as {@code software:3} or {@code hisi_zip-0:1;software:1}: this run's engine served some. */
    private static void assertServedHere(String delta, String context) {
        Matcher m = Pattern.compile((MODE.equals("emulated") ? "hisi_zip-\\d+" : "software") + ":(\\d+)").matcher(delta);
        assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "no stream on this run's engine: " + context);
    }

    private static long servedStreams(String streamsLine) {
        long sum = 0;
        Matcher m = Pattern.compile("(?:software|hisi_zip-\\d+)=(\\d+)").matcher(streamsLine);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    private static String jarOf(String className) {
        try {
            return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException(className + " is not on the test class path", e);
        }
    }

    /** commons-compress and what it needs at run time (commons-io, commons-lang3, and commons-codec if present). */
    private static String commonsCompressClasspath() {
        List<String> cp = new ArrayList<>(List.of(
                jarOf("org.apache.commons.compress.compressors.CompressorStreamFactory"),
                jarOf("org.apache.commons.io.IOUtils"), jarOf("org.apache.commons.lang3.StringUtils")));
        try {
            cp.add(jarOf("org.apache.commons.codec.binary.Hex"));
        } catch (IllegalStateException e) {
            // optional at run time
        }
        return String.join(File.pathSeparator, cp);
    }

    private static Path compile(String name, int release, String classpath, Map<String, String> sources)
            throws IOException {
        Path src = Files.createDirectories(work.resolve(name + "-src"));
        Path out = Files.createDirectories(work.resolve(name));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : new LinkedHashMap<>(sources).entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> options = new ArrayList<>(List.of("--release", Integer.toString(release), "-Xlint:-options",
                "-d", out.toString()));
        if (!classpath.isEmpty()) {
            options.addAll(List.of("-cp", classpath));
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            if (!javac.getTask(diagnostics, fm, null, options, null, fm.getJavaFileObjectsFromPaths(files)).call()) {
                throw new IllegalStateException(name + " does not compile:\n" + diagnostics);
            }
        }
        return out;
    }

    /** A finished child JVM: its exit code and what it printed. */
    static final class Child {
        final int exit;
        final String out;
        final String err;

        private Child(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        /** Runs {@code java [jvmArgs] -cp classpath mainClass args} with this run's device settings. */
        static Child run(List<String> jvmArgs, String classpath, String mainClass, String... args)
                throws IOException, InterruptedException {
            List<String> all = new ArrayList<>(jvmArgs);
            all.addAll(List.of("-cp", classpath, mainClass));
            all.addAll(List.of(args));
            return start(all);
        }

        /** Runs {@code java [jvmArgs] -p modulePath -m module/mainClass}. */
        static Child runModule(List<String> jvmArgs, Path modulePath, String moduleAndMain)
                throws IOException, InterruptedException {
            List<String> all = new ArrayList<>(jvmArgs);
            all.addAll(List.of("-p", modulePath.toString(), "-m", moduleAndMain));
            return start(all);
        }

        private static Child start(List<String> args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String emulate = System.getProperty("warpdrive.emulate");
            if (emulate != null) {
                cmd.add("-Dwarpdrive.emulate=" + emulate);
            }
            cmd.addAll(args);
            Path stdout = Files.createTempFile(work, "child", ".out");
            Path stderr = Files.createTempFile(work, "child", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            pb.environment().remove("WD_EMULATE");
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM timed out: " + cmd);
            }
            return new Child(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        }

        void assertOk() {
            assertEquals(0, exit, () -> "child failed\nstdout:\n" + out + "\nstderr:\n" + err);
            assertFalse(err.contains("Exception"), err);
            assertFalse(err.contains("warning:"), err);
        }

        /** The first line of standard output that starts with {@code prefix}. */
        String line(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in\n" + out + "\nstderr:\n" + err));
        }

        /** The value of {@code key=value} in a line (up to the next blank). */
        static String field(String line, String key) {
            Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(key) + "=(\\S*)").matcher(line);
            if (!m.find()) {
                throw new AssertionError("no " + key + "= in " + line);
            }
            return m.group(1);
        }
    }
}
