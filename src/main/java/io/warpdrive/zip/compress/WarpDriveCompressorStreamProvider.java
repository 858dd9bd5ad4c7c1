package io.warpdrive.zip.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorInputStream;
import org.apache.commons.compress.compressors.CompressorOutputStream;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.CompressorStreamProvider;

/**
 * Offers WarpDrive streams to commons-compress's
 * {@link CompressorStreamFactory} under the names {@value #WARPDRIVE_GZ}
 * and {@value #WARPDRIVE_DEFLATE}, for reading and writing. Registered in
 * {@code META-INF/services}, so with this jar on the class path
 * {@code new CompressorStreamFactory().createCompressorOutputStream("warpdrive-gz", out)}
 * just works. The built-in names ({@code gz}, {@code deflate}) cannot be
 * taken over: the factory matches them before asking any provider.
 *
 * <p>Names are matched without regard to case, as the factory does. The
 * streams have default parameters; for a file name, level, strategy or
 * raw DEFLATE, create {@link HwGzipCompressorOutputStream} or
 * {@link HwDeflateCompressorOutputStream} directly with
 * {@code GzipParameters} or {@code DeflateParameters}.
 */
public class WarpDriveCompressorStreamProvider implements CompressorStreamProvider {
    /** gzip (RFC 1952) through WarpDrive; the data is ordinary gzip. */
    public static final String WARPDRIVE_GZ = "warpdrive-gz";
    /** zlib-format DEFLATE (RFC 1950) through WarpDrive, as commons-compress's {@code deflate}. */
    public static final String WARPDRIVE_DEFLATE = "warpdrive-deflate";

    @FunctionalInterface
    private interface InputFactory {
        CompressorInputStream open(InputStream in, boolean decompressUntilEof) throws IOException;
    }

    @FunctionalInterface
    private interface OutputFactory {
        CompressorOutputStream<?> open(OutputStream out) throws IOException;
    }

    private static final Map<String, InputFactory> INPUTS = Map.of(
            WARPDRIVE_GZ, HwGzipCompressorInputStream::new,
            WARPDRIVE_DEFLATE, (in, untilEof) -> new HwDeflateCompressorInputStream(in));
    private static final Map<String, OutputFactory> OUTPUTS = Map.of(
            WARPDRIVE_GZ, HwGzipCompressorOutputStream::new,
            WARPDRIVE_DEFLATE, HwDeflateCompressorOutputStream::new);

    /** The provider; ServiceLoader calls this. */
    public WarpDriveCompressorStreamProvider() {
    }

    /**
     * Opens a decompressing stream.
     *
     * @param name               {@value #WARPDRIVE_GZ} or {@value #WARPDRIVE_DEFLATE}
     * @param in                 the compressed data
     * @param decompressUntilEof for gzip: read every concatenated member, not only the first
     * @throws CompressorException if the name is not ours or the stream cannot be opened
     */
    @Override
    public CompressorInputStream createCompressorInputStream(String name, InputStream in, boolean decompressUntilEof)
            throws CompressorException {
        InputFactory f = name == null ? null : INPUTS.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new CompressorException("Compressor: " + name + " not found.");
        }
        try {
            return f.open(in, decompressUntilEof);
        } catch (IOException e) {
            throw new CompressorException("Could not create " + name + " input stream: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a compressing stream with default parameters.
     *
     * @param name {@value #WARPDRIVE_GZ} or {@value #WARPDRIVE_DEFLATE}
     * @param out  where the compressed data goes
     * @throws CompressorException if the name is not ours or the stream cannot be opened
     */
    @Override
    @SuppressWarnings("unchecked") // the factory contract: a stream over the given out, whatever its type
    public <T extends OutputStream> CompressorOutputStream<T> createCompressorOutputStream(String name, T out)
            throws CompressorException {
        OutputFactory f = name == null ? null : OUTPUTS.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new CompressorException("Compressor: " + name + " not found.");
        }
        try {
            return (CompressorOutputStream<T>) f.open(out);
        } catch (IOException e) {
            throw new CompressorException("Could not create " + name + " output stream: " + e.getMessage(), e);
        }
    }

    /** {@value #WARPDRIVE_DEFLATE} and {@value #WARPDRIVE_GZ}. */
    @Override
    public Set<String> getInputStreamCompressorNames() {
        return new TreeSet<>(INPUTS.keySet());
    }

    /** {@value #WARPDRIVE_DEFLATE} and {@value #WARPDRIVE_GZ}. */
    @Override
    public Set<String> getOutputStreamCompressorNames() {
        return new TreeSet<>(OUTPUTS.keySet());
    }
}
