package io.warpdrive.zip.compat;

import static io.warpdrive.zip.compat.Interop.Format.GZIP;
import static io.warpdrive.zip.compat.Interop.Format.RAW;
import static io.warpdrive.zip.compat.Interop.Format.ZLIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warpdrive.zip.HwDeflateParameters;
import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwDeflaterOutputStream;
import io.warpdrive.zip.HwGZIPOutputStream;
import io.warpdrive.zip.compat.Corpus.Flush;
import io.warpdrive.zip.compress.HwDeflateCompressorOutputStream;
import io.warpdrive.zip.compress.HwGzipCompressorOutputStream;
import io.warpdrive.zip.compat.Corpus.Input;
import io.warpdrive.zip.compat.Interop.Format;
import io.warpdrive.zip.compat.Interop.Product;
import io.warpdrive.zip.compat.Interop.Written;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorInputStream;
import org.apache.commons.compress.compressors.deflate.DeflateParameters;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * warpdrive-zip writes, peers read: every writer of ours (HwDeflater raw and
 * zlib, HwDeflaterOutputStream, HwGZIPOutputStream serial and parallel, the
 * commons-compress integration's writers, the wdzip CLI) on every corpus
 * input, level and flush plan, read by every peer
 * that reads the format (gzip, pigz, Python's zlib and gzip, zlib-flate, the
 * JDK, commons-compress), compared byte for byte. One dynamic test per cell,
 * named writer / input / level / flush / reader.
 */
class InteropOursToPeersIT {
    private static final List<Flush> DEFLATER_FLUSHES = List.of(Flush.NONE, Flush.SYNC_FIXED, Flush.FULL_RANDOM);
    private static final List<Flush> STREAM_FLUSHES = List.of(Flush.NONE, Flush.SYNC_RANDOM);

    @TempDir
    static Path tmp;

    /** A peer that reads some formats: returns what it decompressed from the product's file. */
    private record Reader(String name, Set<Format> formats, ReadFn fn) {
    }

    @FunctionalInterface
    private interface ReadFn {
        byte[] read(Product p, Path file) throws Exception;
    }

    /** One of our writers; {@code flushes} are the plans it supports. */
    private record OurWriter(String name, Format format, List<Flush> flushes, Interop.Writer fn) {
    }

    private static final List<OurWriter> WRITERS = List.of(
            new OurWriter("HwDeflater(nowrap)", RAW, DEFLATER_FLUSHES,
                    (data, level, flush) -> deflate(new HwDeflater(level, true), data, flush)),
            new OurWriter("HwDeflater", ZLIB, DEFLATER_FLUSHES,
                    (data, level, flush) -> deflate(new HwDeflater(level), data, flush)),
            new OurWriter("HwDeflaterOutputStream(syncFlush)", ZLIB, STREAM_FLUSHES,
                    InteropOursToPeersIT::deflaterOutputStream),
            new OurWriter("HwGZIPOutputStream", GZIP, STREAM_FLUSHES, InteropOursToPeersIT::gzipOutputStream),
            new OurWriter("HwGZIPOutputStream(parallelism=2)", GZIP, STREAM_FLUSHES,
                    InteropOursToPeersIT::parallelGzip),
            new OurWriter("HwGzipCompressorOutputStream", GZIP, List.of(Flush.NONE),
                    InteropOursToPeersIT::commonsGzip),
            new OurWriter("HwDeflateCompressorOutputStream(withZlibHeader=false)", RAW, List.of(Flush.NONE),
                    (data, level, flush) -> commonsDeflate(data, level, false)),
            new OurWriter("HwDeflateCompressorOutputStream", ZLIB, List.of(Flush.NONE),
                    (data, level, flush) -> commonsDeflate(data, level, true)));

    /**
     * One test per product (writer, input, level, flush) and reader of its
     * format, then the device check.
     */
    @TestFactory
    Stream<DynamicNode> ourWritersPeerReaders() throws Exception {
        long deviceBefore = Interop.deviceBytesIn();
        List<Product> products = new ArrayList<>();
        for (OurWriter w : WRITERS) {
            for (Input in : Corpus.inputs()) {
                for (int level : Corpus.LEVELS) {
                    for (Flush f : w.flushes) {
                        products.add(Interop.write(w.name, w.format, in, level, f, w.fn));
                    }
                }
            }
        }
        long deviceInProcess = Interop.deviceBytesIn() - deviceBefore;
        products.addAll(Cli.compress(tmp.resolve("wdzip")));

        Path files = Files.createDirectories(tmp.resolve("products"));
        Python py = new Python(tmp.resolve("python"));
        Map<Product, Path> fileOf = new HashMap<>();
        Map<String, Python.Job> jobs = new HashMap<>();
        for (int i = 0; i < products.size(); i++) {
            Product p = products.get(i);
            if (p.error() != null) {
                continue;
            }
            Path f = Interop.file(files, i, p, "." + p.format().lower());
            fileOf.put(p, f);
            jobs.put(p.describe() + " zlib", py.add("zlib-d", p.format().lower(), p.level(), Flush.NONE, f));
            if (p.format() == GZIP) {
                jobs.put(p.describe() + " gzip", py.add("gzip-d", p.format().lower(), p.level(), Flush.NONE, f));
            }
        }
        py.run();

        List<Reader> readers = readers(jobs);
        List<DynamicNode> nodes = new ArrayList<>(List.of(Interop.packagedJar()));
        for (Product p : products) {
            for (Reader r : readers) {
                if (r.formats.contains(p.format())) {
                    nodes.add(Interop.cell(p, r.name, () -> Interop.assertSame(p, r.name,
                            r.fn.read(p, fileOf.get(p)))));
                }
            }
        }
        nodes.add(DynamicTest.dynamicTest("the multi-MiB writes ran on the expected engine",
                () -> assertBigWritesEngine(products, deviceInProcess)));
        return nodes.stream();
    }

    /** The peers; Python's results come from {@code jobs}, keyed by product and module. */
    private static List<Reader> readers(Map<String, Python.Job> jobs) {
        return List.of(
                new Reader("gzip -d", Set.of(GZIP), (p, f) -> peer(p, f, "gzip", "-dc")),
                new Reader("pigz -d", Set.of(GZIP, ZLIB), (p, f) -> peer(p, f, "pigz", "-dc")),
                new Reader("zlib-flate -uncompress", Set.of(ZLIB), (p, f) -> peer(p, f, "zlib-flate", "-uncompress")),
                new Reader("python3 zlib.decompressobj", Set.of(RAW, ZLIB, GZIP),
                        (p, f) -> jobs.get(p.describe() + " zlib").result()),
                new Reader("python3 gzip.decompress", Set.of(GZIP),
                        (p, f) -> jobs.get(p.describe() + " gzip").result()),
                new Reader("JDK Inflater", Set.of(RAW, ZLIB), (p, f) -> jdkInflate(p)),
                new Reader("JDK GZIPInputStream", Set.of(GZIP),
                        (p, f) -> readAll(new GZIPInputStream(new ByteArrayInputStream(p.bytesOrFail())))),
                new Reader("commons-compress GzipCompressorInputStream", Set.of(GZIP),
                        (p, f) -> readAll(new GzipCompressorInputStream(new ByteArrayInputStream(p.bytesOrFail())))),
                new Reader("commons-compress DeflateCompressorInputStream", Set.of(RAW, ZLIB), (p, f) -> {
                    DeflateParameters dp = new DeflateParameters();
                    dp.setWithZlibHeader(p.format() == ZLIB);
                    return readAll(new DeflateCompressorInputStream(new ByteArrayInputStream(p.bytesOrFail()), dp));
                }));
    }

    // ---- our writers --------------------------------------------------------------------

    private static Written deflate(HwDeflater d, byte[] data, Flush flush) {
        try {
            return new Written(Interop.deflate(d, data, flush), d.engine());
        } finally {
            d.end();
        }
    }

    private static Written deflaterOutputStream(byte[] data, int level, Flush flush) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String engine;
        try (HwDeflaterOutputStream s = new HwDeflaterOutputStream(out,
                new HwDeflateParameters().level(level).syncFlush(true))) {
            Interop.writePieces(s, data, flush);
            s.finish();
            engine = s.engine();
        }
        return new Written(out.toByteArray(), engine);
    }

    /** HwGZIPOutputStream(out, syncFlush) with setLevel, as a JDK user would write it. */
    private static Written gzipOutputStream(byte[] data, int level, Flush flush) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String engine;
        try (HwGZIPOutputStream s = new HwGZIPOutputStream(out, flush != Flush.NONE)) {
            s.setLevel(level);
            Interop.writePieces(s, data, flush);
            s.finish();
            engine = s.engine();
        }
        return new Written(out.toByteArray(), engine);
    }

    private static Written parallelGzip(byte[] data, int level, Flush flush) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String engine;
        try (HwGZIPOutputStream s = new HwGZIPOutputStream(out, new HwDeflateParameters().level(level)
                .parallelism(2).syncFlush(flush != Flush.NONE))) {
            Interop.writePieces(s, data, flush);
            s.finish();
            engine = s.engine();
        }
        return new Written(out.toByteArray(), engine);
    }

    /** The commons-compress integration's gzip writer, as CompressorStreamFactory's "warpdrive-gz" makes it. */
    private static Written commonsGzip(byte[] data, int level, Flush flush) throws Exception {
        GzipParameters gp = new GzipParameters();
        gp.setCompressionLevel(level);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String engine;
        try (HwGzipCompressorOutputStream s = new HwGzipCompressorOutputStream(out, gp)) {
            s.write(data);
            s.finish();
            engine = s.engine();
        }
        return new Written(out.toByteArray(), engine);
    }

    private static Written commonsDeflate(byte[] data, int level, boolean zlibHeader) throws Exception {
        DeflateParameters dp = new DeflateParameters();
        dp.setCompressionLevel(level);
        dp.setWithZlibHeader(zlibHeader);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String engine;
        try (HwDeflateCompressorOutputStream s = new HwDeflateCompressorOutputStream(out, dp)) {
            s.write(data);
            s.finish();
            engine = s.engine();
        }
        return new Written(out.toByteArray(), engine);
    }

    // ---- peer readers -------------------------------------------------------------------

    private static byte[] peer(Product p, Path file, String... cmd) throws Exception {
        Tools.Result r = Tools.tool(tmp, file, cmd);
        assertEquals(0, r.status(), p.describe() + " -> " + String.join(" ", cmd) + ": " + r);
        return r.out();
    }

    /** The JDK's Inflater, strictly: the stream must finish with no input left over. */
    private static byte[] jdkInflate(Product p) throws Exception {
        Inflater inf = new Inflater(p.format() == RAW);
        try {
            inf.setInput(p.bytesOrFail());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[Interop.BUFFER];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
                    fail(p.describe() + " -> JDK Inflater: the stream ends early after " + out.size() + " bytes");
                }
                out.write(buf, 0, n);
            }
            assertEquals(0, inf.getRemaining(), p.describe() + " -> JDK Inflater: bytes after the stream");
            return out.toByteArray();
        } finally {
            inf.end();
        }
    }

    private static byte[] readAll(InputStream in) throws Exception {
        try (in) {
            return in.readAllBytes();
        }
    }

    // ---- the device really served the big writes -----------------------------------------

    private static void assertBigWritesEngine(List<Product> products, long deviceBytes) {
        int checked = 0;
        for (Product p : products) {
            if (p.input().big() && p.flush() == Flush.NONE && p.error() == null) {
                Interop.assertEngine(p.describe(), p.engine());
                checked++;
            }
        }
        assertTrue(checked >= WRITERS.size() * Corpus.LEVELS.length, "checked " + checked + " big writes");
        if (Tools.EMULATED) {
            assertTrue(deviceBytes >= (long) Corpus.BIG * WRITERS.size(),
                    "the emulated devices consumed only " + deviceBytes + " bytes of our writes");
        } else {
            assertEquals(0, deviceBytes, "no device in the software run");
        }
    }
}
