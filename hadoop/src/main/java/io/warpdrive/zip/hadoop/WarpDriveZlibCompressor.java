package io.warpdrive.zip.hadoop;

import org.apache.hadoop.conf.Configuration;

/**
 * Compresses to the zlib format (RFC 1950), what Hadoop's {@code DefaultCodec}
 * and {@code DeflateCodec} write to {@code .deflate} files; the
 * {@link WarpDriveDeflateCodec}'s compressor. The zlib header and Adler-32
 * trailer come from the deflater itself.
 */
public final class WarpDriveZlibCompressor extends WarpDriveCompressor {
    private static final byte[] NO_FRAMING = new byte[0];

    /** A compressor with the default level and strategy. */
    public WarpDriveZlibCompressor() {
        this(null);
    }

    /**
     * A compressor with the level and strategy of {@code conf}
     * ({@code zlib.compress.level}, {@code zlib.compress.strategy}); null for the defaults.
     */
    public WarpDriveZlibCompressor(Configuration conf) {
        super(conf, false);
    }

    @Override
    byte[] header() {
        return NO_FRAMING;
    }

    @Override
    void consumed(byte[] b, int off, int len) {
        // the deflater keeps the Adler-32 itself
    }

    @Override
    byte[] trailer(long uncompressedBytes) {
        return NO_FRAMING;
    }

    @Override
    void restart() {
    }
}
