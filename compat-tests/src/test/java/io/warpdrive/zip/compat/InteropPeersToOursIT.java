package io.warpdrive.zip.compat;

import static io.warpdrive.zip.compat.Interop.Format.GZIP;
import static io.warpdrive.zip.compat.Interop.Format.RAW;
import static io.warpdrive.zip.compat.Interop.Format.ZLIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warpdrive.zip.HwGZIPInputStream;
import io.warpdrive.zip.HwInflater;
import io.warpdrive.zip.HwInflaterInputStream;
import io.warpdrive.zip.compat.Corpus.Flush;
import io.warpdrive.zip.compress.HwDeflateCompressorInputStream;
import io.warpdrive.zip.compress.HwGzipCompressorInputStream;
import io.warpdrive.zip.compat.Corpus.Input;
import io.warpdrive.zip.compat.Interop.Format;
import io.warpdrive.zip.compat.Interop.Product;
import io.warpdrive.zip.compat.Interop.Written;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorOutputStream;
import org.apache.commons.compress.compressors.deflate.DeflateParameters;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers write, warpdrive-zip reads: gzip, pigz (default multi-block,
 * {@code -i}, {@code -p 2}, {@code -b 32}, zlib), zlib-flate, Python's zlib
 * and gzip modules (with sync and full flushes), the JDK (Deflater with
 * flushes, DeflaterOutputStream and GZIPOutputStream with syncFlush) and
 * commons-compress, on every corpus input and level, plus files of
 * concatenated gzip members; read by HwInflater, HwInflaterInputStream,
 * HwGZIPInputStream, the commons-compress integration's readers and
 * {@code wdzip -d}, compared byte for byte.
 */
class InteropPeersToOursIT {
    /** pigz's flags per variant: default (128 KiB blocks, 2 threads here), independent blocks, threads, block size. */
    private static final List<List<String>> PIGZ_VARIANTS = List.of(List.of(), List.of("-i"), List.of("-p", "2"),
            List.of("-b", "32"), List.of("-b", "32", "-i", "-p", "2"));
    private static final List<Flush> FLUSHES = List.of(Flush.NONE, Flush.SYNC_FIXED, Flush.FULL_RANDOM);

    /** Name prefix of the inputs written as several gzip members. */
    private static final String MEMBERS = "members";

    @TempDir
    static Path tmp;

    /** Engines our in-process readers reported for each cell, checked by the last test. */
    private static final Map<String, String> ENGINES = new ConcurrentHashMap<>();

    @TestFactory
    Stream<DynamicNode> peerWritersOurReaders() throws Exception {
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        for (Input in : Corpus.inputs()) {
            Files.write(inputs.resolve(in.name()), in.data());
        }
        List<Product> products = new ArrayList<>();
        products.addAll(toolProducts(inputs));
        products.addAll(pythonProducts(inputs));
        products.addAll(jdkAndCommonsProducts());
        products.addAll(concatenatedMembers(inputs));
        products.addAll(fullHeaders());

        Path cli = Files.createDirectories(tmp.resolve("wdzip"));
        List<String> cliFiles = new ArrayList<>();
        for (int i = 0; i < products.size(); i++) {
            Product p = products.get(i);
            if (p.format() == GZIP && p.error() == null) {
                cliFiles.add(Interop.file(cli, i, p, ".gz").getFileName().toString());
            }
        }
        long deviceBefore = Interop.deviceBytesIn();
        Map<String, Cli.Outcome> cliOut = Cli.decompress(cli, cliFiles);

        List<DynamicNode> nodes = new ArrayList<>(List.of(Interop.packagedJar()));
        for (int i = 0; i < products.size(); i++) {
            Product p = products.get(i);
            if (p.format() == GZIP) {
                nodes.add(Interop.cell(p, "HwGZIPInputStream", () -> Interop.assertSame(p, "HwGZIPInputStream",
                        gzipInputStream(p))));
                nodes.add(Interop.cell(p, "HwGzipCompressorInputStream(decompressConcatenated)", () -> {
                    try (HwGzipCompressorInputStream s = new HwGzipCompressorInputStream(
                            new ByteArrayInputStream(p.bytesOrFail()), true)) {
                        Interop.assertSame(p, "HwGzipCompressorInputStream(decompressConcatenated)", s.readAllBytes());
                    }
                }));
                String file = "p" + i + ".gz";
                nodes.add(Interop.cell(p, "wdzip -d", () -> {
                    Cli.Outcome o = cliOut.get(file);
                    if (o == null || o.bytes() == null) {
                        fail(o == null ? "wdzip -d did not run" : o.problem());
                    }
                    ENGINES.put(p.describe() + " -> wdzip -d", String.valueOf(o.engine()));
                    Interop.assertSame(p, "wdzip -d", o.bytes());
                }));
            } else {
                nodes.add(Interop.cell(p, "HwInflater", () -> Interop.assertSame(p, "HwInflater", inflate(p))));
                nodes.add(Interop.cell(p, "HwInflaterInputStream", () -> Interop.assertSame(p,
                        "HwInflaterInputStream", inflaterInputStream(p))));
                nodes.add(Interop.cell(p, "HwDeflateCompressorInputStream", () -> {
                    DeflateParameters dp = new DeflateParameters();
                    dp.setWithZlibHeader(p.format() == ZLIB);
                    try (HwDeflateCompressorInputStream s = new HwDeflateCompressorInputStream(
                            new ByteArrayInputStream(p.bytesOrFail()), dp)) {
                        Interop.assertSame(p, "HwDeflateCompressorInputStream", s.readAllBytes());
                    }
                }));
            }
        }
        nodes.add(DynamicTest.dynamicTest("zlib-flate -compress on empty (0 B) writes no stream: "
                + "HwInflaterInputStream fails on it as the JDK's InflaterInputStream does",
                InteropPeersToOursIT::zlibFlateEmptyFailsAsInTheJdk));
        nodes.add(DynamicTest.dynamicTest("the multi-MiB reads ran on the expected engine",
                () -> assertBigReadsEngine(products, deviceBefore)));
        return nodes.stream();
    }

    // ---- peer writers -------------------------------------------------------------------

    /** gzip, pigz's variants and zlib-flate, one process per product. */
    private static List<Product> toolProducts(Path inputs) throws Exception {
        List<Product> out = new ArrayList<>();
        for (Input in : Corpus.inputs()) {
            Path src = inputs.resolve(in.name());
            for (int level : Corpus.LEVELS) {
                out.add(tool("gzip -" + level, GZIP, in, level, src, "gzip", "-c", "-n", "-" + level));
                for (List<String> v : PIGZ_VARIANTS) {
                    List<String> cmd = new ArrayList<>(List.of("pigz", "-c", "-n", "-" + level));
                    cmd.addAll(v);
                    String name = v.isEmpty() ? "pigz (default 128 KiB blocks)" : "pigz " + String.join(" ", v);
                    out.add(tool(name, GZIP, in, level, src, cmd.toArray(String[]::new)));
                }
                out.add(tool("pigz -z", ZLIB, in, level, src, "pigz", "-c", "-z", "-" + level));
                if (in.data().length > 0) { // zlib-flate writes nothing at all for no input: see below
                    out.add(tool("zlib-flate -compress=" + level, ZLIB, in, level, src, "zlib-flate",
                            "-compress=" + level));
                }
            }
        }
        return out;
    }

    private static Product tool(String name, Format f, Input in, int level, Path src, String... cmd) {
        return Interop.write(name, f, in, level, Flush.NONE, (data, l, flush) -> {
            Tools.Result r = Tools.tool(tmp, src, cmd);
            assertEquals(0, r.status(), String.join(" ", cmd) + ": " + r);
            return new Written(r.out(), null);
        });
    }

    /** Python's zlib (raw and zlib) and gzip modules with each flush plan, in one python3 run. */
    private static List<Product> pythonProducts(Path inputs) throws Exception {
        Python py = new Python(tmp.resolve("python"));
        record Pending(Format format, Input input, int level, Flush flush, Python.Job job) {
        }
        List<Pending> pending = new ArrayList<>();
        for (Input in : Corpus.inputs()) {
            for (int level : Corpus.LEVELS_AND_STORED) {
                for (Flush f : FLUSHES) {
                    Path src = inputs.resolve(in.name());
                    pending.add(new Pending(RAW, in, level, f, py.add("zlib-c", "raw", level, f, src)));
                    pending.add(new Pending(ZLIB, in, level, f, py.add("zlib-c", "zlib", level, f, src)));
                    pending.add(new Pending(GZIP, in, level, f, py.add("gzip-c", "gzip", level, f, src)));
                }
            }
        }
        py.run();
        List<Product> out = new ArrayList<>();
        for (Pending p : pending) {
            String name = p.format == GZIP ? "python3 gzip.GzipFile" : "python3 zlib.compressobj";
            out.add(Interop.write(name, p.format, p.input, p.level, p.flush,
                    (data, level, flush) -> new Written(p.job.result(), null)));
        }
        return out;
    }

    /** The JDK's Deflater (with flushes), DeflaterOutputStream and GZIPOutputStream (syncFlush); commons-compress. */
    private static List<Product> jdkAndCommonsProducts() {
        List<Product> out = new ArrayList<>();
        for (Input in : Corpus.inputs()) {
            for (int level : Corpus.LEVELS_AND_STORED) {
                for (Flush f : FLUSHES) {
                    out.add(Interop.write("JDK Deflater(nowrap)", RAW, in, level, f,
                            (data, l, flush) -> jdkDeflate(new Deflater(l, true), data, flush)));
                    out.add(Interop.write("JDK Deflater", ZLIB, in, level, f,
                            (data, l, flush) -> jdkDeflate(new Deflater(l), data, flush)));
                }
                for (Flush f : List.of(Flush.NONE, Flush.SYNC_RANDOM)) {
                    out.add(Interop.write("JDK DeflaterOutputStream(syncFlush)", ZLIB, in, level, f,
                            InteropPeersToOursIT::jdkDeflaterOutputStream));
                    out.add(Interop.write("JDK GZIPOutputStream(syncFlush)", GZIP, in, level, f,
                            InteropPeersToOursIT::jdkGzipOutputStream));
                }
                out.add(Interop.write("commons-compress GzipCompressorOutputStream", GZIP, in, level, Flush.NONE,
                        (data, l, flush) -> commonsGzip(data, l)));
                for (Format f : List.of(RAW, ZLIB)) {
                    out.add(Interop.write("commons-compress DeflateCompressorOutputStream", f, in, level, Flush.NONE,
                            (data, l, flush) -> commonsDeflate(data, l, f == ZLIB)));
                }
            }
        }
        return out;
    }

    private static Written jdkDeflaterOutputStream(byte[] data, int level, Flush flush) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Deflater d = new Deflater(level);
        try (DeflaterOutputStream s = new DeflaterOutputStream(b, d, true)) {
            Interop.writePieces(s, data, flush);
        } finally {
            d.end();
        }
        return new Written(b.toByteArray(), null);
    }

    /** GZIPOutputStream has no level setter: a subclass sets its protected Deflater's. */
    private static Written jdkGzipOutputStream(byte[] data, int level, Flush flush) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream s = new GZIPOutputStream(b, true) {
            {
                def.setLevel(level);
            }
        }) {
            Interop.writePieces(s, data, flush);
        }
        return new Written(b.toByteArray(), null);
    }

    private static Written commonsGzip(byte[] data, int level) throws IOException {
        GzipParameters gp = new GzipParameters();
        gp.setCompressionLevel(level);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream s = new GzipCompressorOutputStream(b, gp)) {
            s.write(data);
        }
        return new Written(b.toByteArray(), null);
    }

    private static Written commonsDeflate(byte[] data, int level, boolean zlibHeader) throws IOException {
        DeflateParameters dp = new DeflateParameters();
        dp.setCompressionLevel(level);
        dp.setWithZlibHeader(zlibHeader);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DeflateCompressorOutputStream s = new DeflateCompressorOutputStream(b, dp)) {
            s.write(data);
        }
        return new Written(b.toByteArray(), null);
    }

    private static Written jdkDeflate(Deflater d, byte[] data, Flush flush) {
        try {
            return new Written(Interop.deflate(d, data, flush), null);
        } finally {
            d.end();
        }
    }

    /**
     * Files of several gzip members, as {@code cat a.gz b.gz} makes them: one
     * member per corpus input (empty and 1-byte members included), from gzip
     * at each level, from pigz -i, and one mixing gzip, pigz, Python and the JDK.
     */
    private static List<Product> concatenatedMembers(Path inputs) throws Exception {
        List<Product> out = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Input in : Corpus.inputs()) {
            all.writeBytes(in.data());
        }
        Input members = new Input(MEMBERS + "(" + String.join("+", Corpus.inputs().stream().map(Input::name)
                .toList()) + ")", all.toByteArray());
        for (int level : Corpus.LEVELS) {
            out.add(Interop.write("gzip -" + level + " per member", GZIP, members, level, Flush.NONE,
                    (data, l, flush) -> new Written(catMembers(inputs, i -> List.of("gzip", "-c", "-n", "-" + l)),
                            null)));
        }
        out.add(Interop.write("pigz -i per member", GZIP, members, 6, Flush.NONE,
                (data, l, flush) -> new Written(catMembers(inputs, i -> List.of("pigz", "-c", "-i", "-b", "32")),
                        null)));
        out.add(Interop.write("gzip, pigz, JDK GZIPOutputStream members in turn", GZIP, members, 6, Flush.NONE,
                (data, l, flush) -> new Written(catMembers(inputs, i -> switch (i % 3) {
                    case 0 -> List.of("gzip", "-c");
                    case 1 -> List.of("pigz", "-c");
                    default -> List.of();
                }), null)));
        return out;
    }

    /**
     * gzip members whose header uses every optional field of RFC 1952
     * (FEXTRA with a subfield, FNAME, FCOMMENT, FHCRC) and the FTEXT flag,
     * as few writers do but every reader must accept; the body is the JDK's
     * raw DEFLATE. Two of them concatenated for the last input.
     */
    private static List<Product> fullHeaders() {
        List<Product> out = new ArrayList<>();
        for (Input in : Corpus.inputs()) {
            out.add(Interop.write("RFC 1952 member with FTEXT+FEXTRA+FNAME+FCOMMENT+FHCRC", GZIP, in, 6, Flush.NONE,
                    (data, l, flush) -> new Written(fullHeaderMember(data, l), null)));
        }
        return out;
    }

    private static byte[] fullHeaderMember(byte[] data, int level) {
        final int ftext = 1;
        final int fhcrc = 2;
        final int fextra = 4;
        final int fname = 8;
        final int fcomment = 16;
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) (ftext | fhcrc | fextra | fname | fcomment),
            0x00, (byte) 0xe1, (byte) 0xf5, 0x05, 0, 3}); // MTIME 100000000, XFL 0, OS Unix
        byte[] sub = "warpdrive-zip compat".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int xlen = 4 + sub.length;
        h.writeBytes(new byte[] {(byte) xlen, (byte) (xlen >>> 8), 'W', 'D', (byte) sub.length, 0});
        h.writeBytes(sub);
        h.writeBytes("name-\u00e9t\u00e9.txt\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        h.writeBytes("a comment\nover two lines\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        java.util.zip.CRC32 hcrc = new java.util.zip.CRC32();
        hcrc.update(h.toByteArray());
        h.write((int) hcrc.getValue());
        h.write((int) hcrc.getValue() >>> 8);
        Deflater d = new Deflater(level, true);
        try {
            h.writeBytes(Interop.deflate(d, data, Flush.NONE));
        } finally {
            d.end();
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        for (long v : new long[] {crc.getValue(), data.length}) {
            for (int i = 0; i < 4; i++) {
                h.write((int) (v >>> (8 * i)));
            }
        }
        return h.toByteArray();
    }

    /** Each corpus input compressed by {@code cmd.apply(index)} (empty: the JDK's GZIPOutputStream), concatenated. */
    private static byte[] catMembers(Path inputs, java.util.function.IntFunction<List<String>> cmd)
            throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        List<Input> corpus = Corpus.inputs();
        for (int i = 0; i < corpus.size(); i++) {
            List<String> c = cmd.apply(i);
            if (c.isEmpty()) {
                try (GZIPOutputStream gz = new GZIPOutputStream(b) {
                    @Override
                    public void close() throws java.io.IOException {
                        finish(); // leave b open for the next member
                    }
                }) {
                    gz.write(corpus.get(i).data());
                }
                continue;
            }
            Tools.Result r = Tools.tool(tmp, inputs.resolve(corpus.get(i).name()), c.toArray(String[]::new));
            assertEquals(0, r.status(), c + ": " + r);
            b.writeBytes(r.out());
        }
        return b.toByteArray();
    }

    // ---- our readers --------------------------------------------------------------------

    /**
     * HwInflater fed 64 KiB at a time, as InflaterInputStream feeds it; strict:
     * the stream must finish with no input left over.
     */
    private static byte[] inflate(Product p) throws Exception {
        byte[] in = p.bytesOrFail();
        HwInflater inf = new HwInflater(p.format() == RAW);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[Interop.BUFFER];
            int fed = 0;
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && inf.needsDictionary()) {
                    fail("asks for a dictionary");
                }
                if (n == 0 && !inf.finished() && inf.needsInput()) {
                    if (fed == in.length) {
                        fail("the stream ends early after " + out.size() + " bytes");
                    }
                    int len = Math.min(64 * 1024, in.length - fed);
                    inf.setInput(in, fed, len);
                    fed += len;
                }
            }
            assertEquals(in.length, fed - inf.getRemaining() + 0L, "HwInflater stopped before the end of the input");
            assertEquals(in.length, inf.getBytesRead(), "getBytesRead()");
            assertEquals(p.input().data().length, inf.getBytesWritten(), "getBytesWritten()");
            ENGINES.put(p.describe() + " -> HwInflater", inf.engine());
            return out.toByteArray();
        } finally {
            inf.end();
        }
    }

    private static byte[] inflaterInputStream(Product p) throws Exception {
        HwInflater inf = new HwInflater(p.format() == RAW);
        try (HwInflaterInputStream s = new HwInflaterInputStream(new ByteArrayInputStream(p.bytesOrFail()), inf)) {
            return s.readAllBytes();
        } finally {
            inf.end();
        }
    }

    private static byte[] gzipInputStream(Product p) throws Exception {
        try (HwGZIPInputStream s = new HwGZIPInputStream(new ByteArrayInputStream(p.bytesOrFail()))) {
            byte[] b = s.readAllBytes();
            ENGINES.put(p.describe() + " -> HwGZIPInputStream", s.engine());
            return b;
        }
    }

    /** qpdf's zlib-flate writes zero bytes for empty input, which is no zlib stream: reject it as the JDK does. */
    private static void zlibFlateEmptyFailsAsInTheJdk() throws Exception {
        Path empty = Files.write(tmp.resolve("zlib-flate-empty"), new byte[0]);
        Tools.Result r = Tools.tool(tmp, empty, "zlib-flate", "-compress");
        assertEquals(0, r.status(), "zlib-flate -compress: " + r);
        Throwable jdk = assertThrows(IOException.class,
                () -> new InflaterInputStream(new ByteArrayInputStream(r.out())).readAllBytes(),
                "the JDK reads " + r.out().length + " bytes of zlib-flate output for empty input");
        Throwable ours = assertThrows(IOException.class,
                () -> new HwInflaterInputStream(new ByteArrayInputStream(r.out())).readAllBytes(),
                "HwInflaterInputStream on zlib-flate's output for empty input");
        assertEquals(jdk.getClass(), ours.getClass(), "exception type");
        assertEquals(jdk.getMessage(), ours.getMessage(), "exception message");
    }

    // ---- the device really served the big reads ------------------------------------------

    private static void assertBigReadsEngine(List<Product> products, long deviceBefore) {
        int checked = 0;
        for (Product p : products) {
            // After the first member, GZIPInputStream resets the inflater with whatever input is left
            // in its buffer; a first request below the device threshold rightly stays in software.
            if (!p.input().big() || p.input().name().startsWith(MEMBERS) || p.flush() != Flush.NONE
                    || p.error() != null) {
                continue;
            }
            for (String reader : List.of("HwInflater", "HwGZIPInputStream", "wdzip -d")) {
                String engine = ENGINES.get(p.describe() + " -> " + reader);
                if (engine != null) {
                    Interop.assertEngine(p.describe() + " -> " + reader, engine);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 20, "checked " + checked + " big reads");
        long device = Interop.deviceBytesIn() - deviceBefore;
        if (Tools.EMULATED) {
            assertTrue(device >= Corpus.BIG, "the emulated devices consumed only " + device + " bytes of our reads");
        } else {
            assertEquals(0, device, "no device in the software run");
        }
    }
}
