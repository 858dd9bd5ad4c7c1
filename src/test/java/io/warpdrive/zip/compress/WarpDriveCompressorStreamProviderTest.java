package io.warpdrive.zip.compress;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Set;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorInputStream;
import org.apache.commons.compress.compressors.CompressorOutputStream;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

/** The provider as commons-compress's CompressorStreamFactory finds and uses it. */
class WarpDriveCompressorStreamProviderTest {
    private static final byte[] DATA = Samples.text(400_000, 17);

    private static byte[] compress(CompressorStreamFactory f, String name, byte[] data) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (CompressorOutputStream<?> out = f.createCompressorOutputStream(name, bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void theFactoryDiscoversBothNamesForReadingAndWriting() {
        for (String name : new String[] {"WARPDRIVE-GZ", "WARPDRIVE-DEFLATE"}) {
            assertInstanceOf(WarpDriveCompressorStreamProvider.class,
                    CompressorStreamFactory.findAvailableCompressorOutputStreamProviders().get(name), name);
            assertInstanceOf(WarpDriveCompressorStreamProvider.class,
                    CompressorStreamFactory.findAvailableCompressorInputStreamProviders().get(name), name);
        }
        WarpDriveCompressorStreamProvider p = new WarpDriveCompressorStreamProvider();
        assertEquals(Set.of("warpdrive-gz", "warpdrive-deflate"), p.getInputStreamCompressorNames());
        assertEquals(Set.of("warpdrive-gz", "warpdrive-deflate"), p.getOutputStreamCompressorNames());
    }

    @Test
    void warpdriveGzWritesGzipThatTheBuiltInGzReads() throws Exception {
        CompressorStreamFactory f = new CompressorStreamFactory();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (CompressorOutputStream<?> out = f.createCompressorOutputStream("warpdrive-gz", bos)) {
            assertInstanceOf(HwGzipCompressorOutputStream.class, out);
            out.write(DATA);
            out.finish();
            Mode.assertBigStreamEngine(((HwGzipCompressorOutputStream) out).engine());
        }
        try (CompressorInputStream in = f.createCompressorInputStream("gz", new ByteArrayInputStream(bos.toByteArray()))) {
            assertInstanceOf(GzipCompressorInputStream.class, in);
            assertArrayEquals(DATA, Samples.drain(in));
        }
        assertEquals("gz", CompressorStreamFactory.detect(new ByteArrayInputStream(bos.toByteArray())),
                "it is plain gzip");
    }

    @Test
    void warpdriveGzReadsWhatTheBuiltInGzWrites() throws Exception {
        CompressorStreamFactory f = new CompressorStreamFactory();
        byte[] gz = compress(f, "gz", DATA);
        try (CompressorInputStream in = f.createCompressorInputStream("warpdrive-gz", new ByteArrayInputStream(gz))) {
            assertInstanceOf(HwGzipCompressorInputStream.class, in);
            assertArrayEquals(DATA, Samples.drain(in));
        }
    }

    @Test
    void warpdriveDeflateInteroperatesWithTheBuiltInDeflate() throws Exception {
        CompressorStreamFactory f = new CompressorStreamFactory();
        byte[] ours = compress(f, "warpdrive-deflate", DATA);
        try (CompressorInputStream in = f.createCompressorInputStream("deflate", new ByteArrayInputStream(ours))) {
            assertInstanceOf(DeflateCompressorInputStream.class, in);
            assertArrayEquals(DATA, Samples.drain(in));
        }
        byte[] theirs = compress(f, "deflate", DATA);
        try (CompressorInputStream in = f.createCompressorInputStream("warpdrive-deflate",
                new ByteArrayInputStream(theirs))) {
            assertInstanceOf(HwDeflateCompressorInputStream.class, in);
            assertArrayEquals(DATA, Samples.drain(in));
        }
    }

    @Test
    void theFactorysDecompressConcatenatedSettingReachesOurGzipReader() throws Exception {
        byte[] a = Arrays.copyOf(DATA, 1000);
        byte[] b = Arrays.copyOfRange(DATA, 1000, 5000);
        CompressorStreamFactory plain = new CompressorStreamFactory();
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.writeBytes(compress(plain, "warpdrive-gz", a));
        two.writeBytes(compress(plain, "gz", b));
        try (InputStream in = plain.createCompressorInputStream("warpdrive-gz",
                new ByteArrayInputStream(two.toByteArray()))) {
            assertArrayEquals(a, Samples.drain(in));
        }
        try (InputStream in = new CompressorStreamFactory(true).createCompressorInputStream("warpdrive-gz",
                new ByteArrayInputStream(two.toByteArray()))) {
            assertArrayEquals(Arrays.copyOf(DATA, 5000), Samples.drain(in));
        }
    }

    @Test
    void builtInNamesStayTheBuiltInStreamsAndNamesIgnoreCase() throws Exception {
        CompressorStreamFactory f = new CompressorStreamFactory();
        try (CompressorOutputStream<?> out = f.createCompressorOutputStream("gz", OutputStream.nullOutputStream())) {
            assertInstanceOf(GzipCompressorOutputStream.class, out);
        }
        try (CompressorOutputStream<?> out = f.createCompressorOutputStream("WarpDrive-GZ",
                OutputStream.nullOutputStream())) {
            assertInstanceOf(HwGzipCompressorOutputStream.class, out);
        }
    }

    @Test
    void unknownNamesAndUnreadableInputAreCompressorExceptions() {
        WarpDriveCompressorStreamProvider p = new WarpDriveCompressorStreamProvider();
        CompressorException e = assertThrows(CompressorException.class,
                () -> p.createCompressorOutputStream("warpdrive-zstd", OutputStream.nullOutputStream()));
        assertTrue(e.getMessage().contains("warpdrive-zstd"), e.getMessage());
        assertThrows(CompressorException.class,
                () -> p.createCompressorInputStream("gz", InputStream.nullInputStream(), false));
        CompressorException notGz = assertThrows(CompressorException.class,
                () -> p.createCompressorInputStream("warpdrive-gz", new ByteArrayInputStream(new byte[] {1, 2}), false));
        assertInstanceOf(IOException.class, notGz.getCause());
    }
}
