package io.warpdrive.zip.hadoop;

import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;

/**
 * Compresses to one gzip member (RFC 1952): a 10-byte header, raw DEFLATE,
 * and the CRC-32 and length trailer; the {@link WarpDriveGzipCodec}'s
 * compressor. The header is the one {@link java.util.zip.GZIPOutputStream}
 * and Hadoop's pure-Java gzip compressor write (no name, no time stamp).
 */
public final class WarpDriveGzipCompressor extends WarpDriveCompressor {
    private final CRC32 crc = new CRC32();

    /** A compressor with the default level and strategy. */
    public WarpDriveGzipCompressor() {
        this(null);
    }

    /**
     * A compressor with the level and strategy of {@code conf}
     * ({@code zlib.compress.level}, {@code zlib.compress.strategy}); null for the defaults.
     */
    public WarpDriveGzipCompressor(Configuration conf) {
        super(conf, true);
    }

    /**
     * Always throws: a gzip member has no way to name a preset dictionary,
     * so no reader could decompress the result.
     */
    @Override
    public void setDictionary(byte[] b, int off, int len) {
        throw new UnsupportedOperationException("gzip cannot carry a preset dictionary");
    }

    @Override
    byte[] header() {
        return GzipFormat.header();
    }

    @Override
    void consumed(byte[] b, int off, int len) {
        crc.update(b, off, len);
    }

    @Override
    byte[] trailer(long uncompressedBytes) {
        return GzipFormat.trailer((int) crc.getValue(), uncompressedBytes);
    }

    @Override
    void restart() {
        crc.reset();
    }
}
