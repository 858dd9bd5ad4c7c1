package io.warpdrive.zip.hadoop;

import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.DirectDecompressor;

/**
 * The zlib codec ({@code .deflate}) on warpdrive-zip: a drop-in for Hadoop's
 * {@code org.apache.hadoop.io.compress.DefaultCodec} and {@code DeflateCodec}
 * (zlib format, RFC 1950). Each reads the other's files.
 *
 * <p>Enable it with {@code io.compression.codecs=io.warpdrive.zip.hadoop.WarpDriveDeflateCodec}
 * (it then serves {@code .deflate} files in place of Hadoop's) and name it
 * as an output or map-output codec. The level is {@code zlib.compress.level}.
 */
public class WarpDriveDeflateCodec extends WarpDriveCodec {
    /** A codec; Hadoop sets its configuration after creating it. */
    public WarpDriveDeflateCodec() {
    }

    @Override
    public Class<? extends Compressor> getCompressorType() {
        return WarpDriveZlibCompressor.class;
    }

    @Override
    public Compressor createCompressor() {
        return new WarpDriveZlibCompressor(configuration());
    }

    @Override
    public Class<? extends Decompressor> getDecompressorType() {
        return WarpDriveZlibDecompressor.class;
    }

    @Override
    public Decompressor createDecompressor() {
        return new WarpDriveZlibDecompressor();
    }

    @Override
    public DirectDecompressor createDirectDecompressor() {
        return new WarpDriveZlibDecompressor();
    }

    /** {@code .deflate}, as Hadoop's DefaultCodec. */
    @Override
    public String getDefaultExtension() {
        return ".deflate";
    }
}
