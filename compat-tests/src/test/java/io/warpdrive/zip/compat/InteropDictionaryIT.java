package io.warpdrive.zip.compat;

import static io.warpdrive.zip.compat.Interop.Format.RAW;
import static io.warpdrive.zip.compat.Interop.Format.ZLIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwInflater;
import io.warpdrive.zip.compat.Corpus.Flush;
import io.warpdrive.zip.compat.Corpus.Input;
import io.warpdrive.zip.compat.Interop.Format;
import io.warpdrive.zip.compat.Interop.Product;
import io.warpdrive.zip.compat.Interop.Written;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.Adler32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preset dictionaries both ways (RFC 1950's FDICT in zlib streams, and raw
 * streams primed on both sides): HwDeflater.setDictionary read by Python's
 * {@code zlib.decompressobj(zdict=...)} and the JDK's Inflater; Python's
 * {@code compressobj(zdict=...)} and the JDK's Deflater read by HwInflater,
 * which must ask for the dictionary with the writer's Adler-32. Streams with
 * a dictionary stay in software by design, so no device check here.
 */
class InteropDictionaryIT {
    private static final byte[] DICTIONARY = Corpus.text(32 * 1024, 9);
    private static final List<String> INPUTS = List.of("text", "binary", "mixed-3MiB");

    @TempDir
    static Path tmp;

    @TestFactory
    Stream<DynamicNode> presetDictionariesBothWays() throws Exception {
        Path dict = Files.write(tmp.resolve("dictionary"), DICTIONARY);
        Python py = new Python(tmp.resolve("python"));
        List<Product> ours = new ArrayList<>();
        List<Product> theirs = new ArrayList<>();
        Map<Product, Python.Job> pyRead = new HashMap<>();
        record Pending(Format format, Input input, int level, Python.Job job) {
        }
        List<Pending> pyWrites = new ArrayList<>();
        for (Input in : Corpus.inputs()) {
            if (!INPUTS.contains(in.name())) {
                continue;
            }
            Path src = Files.write(tmp.resolve(in.name()), in.data());
            for (int level : Corpus.LEVELS) {
                for (Format f : List.of(RAW, ZLIB)) {
                    Product p = Interop.write("HwDeflater.setDictionary", f, in, level, Flush.NONE,
                            (data, l, flush) -> deflate(new HwDeflater(l, f == RAW), data, true));
                    ours.add(p);
                    if (p.error() == null) {
                        Path file = Files.write(tmp.resolve("ours" + ours.size()), p.bytes());
                        pyRead.put(p, py.add("zlib-d", f.lower(), level, Flush.NONE, file, dict));
                    }
                    theirs.add(Interop.write("JDK Deflater.setDictionary", f, in, level, Flush.NONE,
                            (data, l, flush) -> deflate(new Deflater(l, f == RAW), data, false)));
                    pyWrites.add(new Pending(f, in, level,
                            py.add("zlib-c", f.lower(), level, Flush.NONE, src, dict)));
                }
            }
        }
        py.run();
        for (Pending p : pyWrites) {
            theirs.add(Interop.write("python3 zlib.compressobj(zdict)", p.format, p.input, p.level, Flush.NONE,
                    (data, l, flush) -> new Written(p.job.result(), null)));
        }

        List<DynamicNode> nodes = new ArrayList<>(List.of(Interop.packagedJar()));
        for (Product p : ours) {
            nodes.add(Interop.cell(p, "python3 zlib.decompressobj(zdict)",
                    () -> Interop.assertSame(p, "python3 zlib.decompressobj(zdict)", pyRead.get(p).result())));
            nodes.add(Interop.cell(p, "JDK Inflater.setDictionary", () -> Interop.assertSame(p,
                    "JDK Inflater.setDictionary", inflate(new Inflater(p.format() == RAW), p, Integer.MAX_VALUE))));
        }
        for (Product p : theirs) {
            nodes.add(Interop.cell(p, "HwInflater.setDictionary", () -> Interop.assertSame(p,
                    "HwInflater.setDictionary", inflate(new HwInflater(p.format() == RAW), p, Integer.MAX_VALUE))));
            if (p.format() == ZLIB) {
                // The 2-byte header alone first, DICTID later: software once decoded such
                // streams without asking for the dictionary (and the device path, which
                // hands FDICT streams to software after their header, always did).
                nodes.add(Interop.cell(p, "HwInflater.setDictionary, header fed alone", () -> Interop.assertSame(p,
                        "HwInflater.setDictionary, header fed alone", inflate(new HwInflater(), p, 2))));
            }
        }
        return nodes.stream();
    }

    private static Written deflate(Deflater d, byte[] data, boolean ours) {
        try {
            d.setDictionary(DICTIONARY);
            byte[] out = Interop.deflate(d, data, Flush.NONE);
            return new Written(out, ours ? ((HwDeflater) d).engine() : null);
        } finally {
            d.end();
        }
    }

    /**
     * Inflates as the JDK documents it: a raw stream gets the dictionary
     * up front; a zlib stream must ask for it (needsDictionary) with the
     * dictionary's Adler-32 in getAdler(). The first {@code first} bytes
     * are given alone, the rest when the inflater needs input.
     */
    private static byte[] inflate(Inflater inf, Product p, int first) throws Exception {
        try {
            if (p.format() == RAW) {
                inf.setDictionary(DICTIONARY);
            }
            byte[] in = p.bytesOrFail();
            int given = Math.min(first, in.length);
            inf.setInput(in, 0, given);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[Interop.BUFFER];
            boolean asked = false;
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && inf.needsDictionary()) {
                    Adler32 adler = new Adler32();
                    adler.update(DICTIONARY);
                    assertEquals((int) adler.getValue(), inf.getAdler(), "getAdler() names the dictionary");
                    inf.setDictionary(DICTIONARY);
                    asked = true;
                } else if (n == 0 && inf.needsInput()) {
                    if (given == in.length) {
                        fail("the stream ends early after " + out.size() + " bytes");
                    }
                    inf.setInput(in, given, in.length - given);
                    given = in.length;
                }
            }
            assertTrue(p.format() == RAW || asked, "a zlib stream with FDICT asks for its dictionary");
            assertEquals(0, inf.getRemaining(), "bytes after the stream");
            return out.toByteArray();
        } finally {
            inf.end();
        }
    }
}
