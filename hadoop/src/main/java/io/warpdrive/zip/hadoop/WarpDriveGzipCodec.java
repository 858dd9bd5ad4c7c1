package io.warpdrive.zip.hadoop;

import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.DirectDecompressor;

/**
 * The gzip codec ({@code .gz}) on warpdrive-zip: a drop-in for Hadoop's
 * {@code org.apache.hadoop.io.compress.GzipCodec}. Each reads the other's
 * files; files of several members (concatenated) are read whole.
 *
 * <p>Enable it with {@code io.compression.codecs=io.warpdrive.zip.hadoop.WarpDriveGzipCodec}
 * (it then serves {@code .gz} files in place of Hadoop's) and name it as an
 * output codec, e.g. {@code mapreduce.output.fileoutputformat.compress.codec}.
 * The level is {@code zlib.compress.level}, as for Hadoop's. It needs no
 * libhadoop, in {@code SequenceFile}s either (older Hadoop releases refuse
 * their GzipCodec there without it).
 */
public class WarpDriveGzipCodec extends WarpDriveCodec {
    /** A codec; Hadoop sets its configuration after creating it. */
    public WarpDriveGzipCodec() {
    }

    @Override
    public Class<? extends Compressor> getCompressorType() {
        return WarpDriveGzipCompressor.class;
    }

    @Override
    public Compressor createCompressor() {
        return new WarpDriveGzipCompressor(configuration());
    }

    @Override
    public Class<? extends Decompressor> getDecompressorType() {
        return WarpDriveGzipDecompressor.class;
    }

    @Override
    public Decompressor createDecompressor() {
        return new WarpDriveGzipDecompressor();
    }

    @Override
    public DirectDecompressor createDirectDecompressor() {
        return new WarpDriveGzipDecompressor();
    }

    /** {@code .gz}, as Hadoop's GzipCodec. */
    @Override
    public String getDefaultExtension() {
        return ".gz";
    }
}
