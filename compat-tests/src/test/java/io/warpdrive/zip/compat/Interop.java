package io.warpdrive.zip.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.warpdrive.zip.EngineStats;
import io.warpdrive.zip.WarpDrive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.TestAbortedException;

/** What the interop matrices share: formats, compressed products, and the one comparison every cell makes. */
final class Interop {
    /** Output buffer of the Deflater/Inflater loops: smaller than most inputs, so loops go round. */
    static final int BUFFER = 32 * 1024;

    private Interop() {
    }

    /** The three DEFLATE containers (RFC 1951, 1950, 1952). */
    enum Format {
        RAW, ZLIB, GZIP;

        String lower() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One writer's output for one input, level and flush plan; {@code error}
     * instead of {@code bytes} when the writer failed (the cells that read it
     * then fail with that error). {@code writer} names the writer with its
     * variant (pigz's flags, a constructor); {@code engine} is what served
     * it, when the writer is ours and says.
     */
    record Product(String writer, Format format, Corpus.Input input, int level, Corpus.Flush flush,
                   byte[] bytes, String engine, Throwable error) {
        /** The cell's writer side, as it appears in test names and failure messages. */
        String describe() {
            return writer + " [" + format.lower() + ", level " + level + ", " + flush + "] on " + input;
        }

        byte[] bytesOrFail() {
            if (error instanceof TestAbortedException skip) {
                throw skip; // a peer tool is missing and -Dwd.compat.allowMissingTools=true
            }
            if (error != null) {
                throw new AssertionError("writer failed: " + describe() + ": " + error, error);
            }
            return bytes;
        }
    }

    /** Compresses with {@code writer}; any exception becomes the product's error. */
    static Product write(String name, Format format, Corpus.Input input, int level, Corpus.Flush flush,
                         Writer writer) {
        try {
            Written w = writer.write(input.data(), level, flush);
            return new Product(name, format, input, level, flush, w.bytes(), w.engine(), null);
        } catch (Exception | AssertionError e) {
            return new Product(name, format, input, level, flush, null, null, e);
        }
    }

    /** Bytes a writer produced and the engine that served it (null when not known). */
    record Written(byte[] bytes, String engine) {
    }

    @FunctionalInterface
    interface Writer {
        Written write(byte[] data, int level, Corpus.Flush flush) throws Exception;
    }

    /** Drives a Deflater as the JDK documents it, flushing with the plan's mode at its points; does not end it. */
    static byte[] deflate(Deflater d, byte[] data, Corpus.Flush flush) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[BUFFER];
        List<byte[]> pieces = Corpus.pieces(data, flush);
        for (int i = 0; i < pieces.size(); i++) {
            d.setInput(pieces.get(i));
            if (i == pieces.size() - 1) {
                d.finish();
                while (!d.finished()) {
                    out.write(buf, 0, d.deflate(buf));
                }
            } else {
                int n;
                do {
                    n = d.deflate(buf, 0, buf.length, flush.mode());
                    out.write(buf, 0, n);
                } while (n == buf.length);
                if (!d.needsInput()) {
                    fail("a " + flush + " left input unconsumed");
                }
            }
        }
        return out.toByteArray();
    }

    /** Writes {@code data} to a stream in the plan's pieces, calling {@code flush()} between them. */
    static void writePieces(OutputStream s, byte[] data, Corpus.Flush flush) throws IOException {
        List<byte[]> pieces = Corpus.pieces(data, flush);
        for (int i = 0; i < pieces.size(); i++) {
            s.write(pieces.get(i));
            if (i < pieces.size() - 1) {
                s.flush();
            }
        }
    }

    /** The check of every cell: what the reader returned is the input, byte for byte. */
    static void assertSame(Product p, String reader, byte[] got) {
        byte[] want = p.input().data();
        if (!Arrays.equals(want, got)) {
            int at = Arrays.mismatch(want, got);
            fail(p.describe() + " -> " + reader + ": read " + got.length + " bytes, expected " + want.length
                    + ", first difference at offset " + at);
        }
    }

    /**
     * A cell named {@code writer -> reader}; whatever it throws is rethrown
     * with that name in front, so a failure reads as a full cell description
     * even where the report shows only the message.
     */
    static DynamicTest cell(Product p, String reader, Executable body) {
        String name = p.describe() + " -> " + reader;
        return DynamicTest.dynamicTest(name, () -> {
            try {
                p.bytesOrFail(); // a failed writer fails (a missing tool skips) each of its cells
                body.execute();
            } catch (TestAbortedException e) {
                throw e;
            } catch (AssertionError e) {
                throw e.getMessage() != null && e.getMessage().startsWith(p.describe()) ? e
                        : new AssertionError(name + ": " + e.getMessage(), e);
            } catch (Throwable e) {
                throw new AssertionError(name + ": " + e, e);
            }
        });
    }

    /** The product's bytes in a file of {@code dir}, for a peer that reads files. */
    static Path file(Path dir, int index, Product p, String suffix) throws IOException {
        return Files.write(dir.resolve("p" + index + suffix), p.bytesOrFail());
    }

    /** A first cell for each matrix: the classes under test come from the packaged jar, as users get them. */
    static DynamicTest packagedJar() {
        return DynamicTest.dynamicTest("the classes under test come from the packaged jar", () -> {
            String where = WarpDrive.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            if (!where.endsWith(".jar")) {
                fail("warpdrive-zip was loaded from " + where + ", not the packaged jar: run through mvn verify");
            }
        });
    }

    /** Sum of bytes consumed so far by every emulated or real device (engines other than software). */
    static long deviceBytesIn() {
        return WarpDrive.statistics().stream().filter(s -> s.engine().startsWith("hisi_zip"))
                .mapToLong(EngineStats::bytesIn).sum();
    }

    /** In the emulated run a big stream must have been served by a device; otherwise by the native software engine. */
    static void assertEngine(String what, String engine) {
        if (Tools.EMULATED) {
            if (engine == null || !engine.startsWith("hisi_zip-")) {
                fail(what + ": expected the emulated hisi_zip device to serve it, engine was " + engine);
            }
        } else {
            assertEquals("software", engine, what + ": expected the native software engine");
        }
    }
}
