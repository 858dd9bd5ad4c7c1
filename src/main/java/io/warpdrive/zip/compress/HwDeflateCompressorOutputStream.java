package io.warpdrive.zip.compress;

import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwDeflaterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.DeflaterOutputStream;
import org.apache.commons.compress.compressors.CompressorOutputStream;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorOutputStream;
import org.apache.commons.compress.compressors.deflate.DeflateParameters;

/**
 * A DEFLATE writer like commons-compress's
 * {@link DeflateCompressorOutputStream}: zlib format (RFC 1950) by
 * default, raw DEFLATE (RFC 1951) when {@link DeflateParameters#setWithZlibHeader(boolean)}
 * is false, at the parameters' level; the data goes through a
 * {@link HwDeflaterOutputStream} with its own {@link HwDeflater}.
 * {@link #flush()} flushes the underlying stream only, as there.
 */
public class HwDeflateCompressorOutputStream extends CompressorOutputStream<DeflaterOutputStream> {
    private final HwDeflater deflater;

    /**
     * A zlib-format stream at the default level.
     *
     * @param out where the compressed data goes
     */
    public HwDeflateCompressorOutputStream(OutputStream out) {
        this(out, new DeflateParameters());
    }

    /**
     * A stream with the parameters' level and format.
     *
     * @param out        where the compressed data goes
     * @param parameters level and whether to write the zlib header and trailer
     */
    public HwDeflateCompressorOutputStream(OutputStream out, DeflateParameters parameters) {
        this(out, new HwDeflater(parameters.getCompressionLevel(), !parameters.withZlibHeader()));
    }

    private HwDeflateCompressorOutputStream(OutputStream out, HwDeflater deflater) {
        super(new HwDeflaterOutputStream(out, deflater));
        this.deflater = deflater;
    }

    /**
     * What compresses this stream.
     *
     * @return a device name such as {@code hisi_zip-0}, {@code software} or {@code java.util.zip}
     */
    public String engine() {
        return deflater.engine();
    }

    /**
     * Compresses {@code len} bytes of {@code b} from {@code off}.
     *
     * @throws IOException if writing fails or the stream is closed
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    /**
     * Flushes the underlying stream; compressed data still held by the
     * deflater stays there, as in commons-compress.
     *
     * @throws IOException if flushing fails
     */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * Ends the compressed data without closing the underlying stream.
     *
     * @throws IOException if writing fails
     */
    @Override
    public void finish() throws IOException {
        out().finish();
        super.finish();
    }

    /**
     * Finishes the stream, closes the underlying stream and releases the deflater.
     *
     * @throws IOException if finishing or closing fails
     */
    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            deflater.end();
        }
    }
}
