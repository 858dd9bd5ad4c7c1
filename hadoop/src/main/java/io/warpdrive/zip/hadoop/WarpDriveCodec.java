package io.warpdrive.zip.hadoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.CompressorStream;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.DecompressorStream;
import org.apache.hadoop.io.compress.DirectDecompressionCodec;

/**
 * What the gzip and deflate codecs share: Hadoop's stream classes over our
 * compressors, {@link CodecPool} for the streams made without one, and
 * buffers of {@link CodecSettings#BUFFER_SIZE_KEY} bytes (64 KiB by default)
 * instead of {@code io.file.buffer.size}'s 4 KiB, so each engine request is large.
 *
 * <p>Hadoop creates codecs by reflection and then calls
 * {@link #setConf(Configuration)}; a codec used without a configuration
 * behaves as with an empty one.
 */
public abstract class WarpDriveCodec implements Configurable, DirectDecompressionCodec {
    private Configuration conf;

    WarpDriveCodec() {
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    private Configuration conf() {
        if (conf == null) {
            conf = new Configuration();
        }
        return conf;
    }

    /** A stream whose compressor is borrowed from {@link CodecPool} and returned on close. */
    @Override
    public CompressionOutputStream createOutputStream(OutputStream out) throws IOException {
        return PooledStreams.output(this, conf(), out);
    }

    /**
     * A stream over the given compressor, which must be this codec's type;
     * null borrows one from {@link CodecPool}.
     */
    @Override
    public CompressionOutputStream createOutputStream(OutputStream out, Compressor compressor) throws IOException {
        if (compressor == null) {
            return createOutputStream(out);
        }
        return new CompressorStream(out, compressor, CodecSettings.bufferSize(conf()));
    }

    /** A stream whose decompressor is borrowed from {@link CodecPool} and returned on close. */
    @Override
    public CompressionInputStream createInputStream(InputStream in) throws IOException {
        return PooledStreams.input(this, conf(), in);
    }

    /**
     * A stream over the given decompressor, which must be this codec's
     * type; null creates one that the stream does not return anywhere.
     */
    @Override
    public CompressionInputStream createInputStream(InputStream in, Decompressor decompressor) throws IOException {
        if (decompressor == null) {
            decompressor = createDecompressor();
        }
        return new DecompressorStream(in, decompressor, CodecSettings.bufferSize(conf()));
    }

    /** Settings of the compressors this codec creates. */
    Configuration configuration() {
        return conf();
    }
}
