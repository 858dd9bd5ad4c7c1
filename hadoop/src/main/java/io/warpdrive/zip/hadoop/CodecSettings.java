package io.warpdrive.zip.hadoop;

import java.util.zip.Deflater;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.zlib.ZlibCompressor.CompressionLevel;
import org.apache.hadoop.io.compress.zlib.ZlibCompressor.CompressionStrategy;
import org.apache.hadoop.io.compress.zlib.ZlibFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the codecs read their configuration. Level and strategy
 * come from the keys Hadoop's own zlib and gzip codecs read
 * ({@code zlib.compress.level}, {@code zlib.compress.strategy}, parsed by
 * {@link ZlibFactory}), so a job configured for Hadoop's codecs compresses
 * the same way with ours.
 */
final class CodecSettings {
    /** Size of the stream buffers and of a compressor's input batch, in bytes. */
    static final String BUFFER_SIZE_KEY = "io.compression.codec.warpdrive.buffersize";

    /**
     * 64 KiB: an accelerator wants large requests (the device batches by
     * 64 KiB), while Hadoop's {@code io.file.buffer.size} defaults to 4 KiB.
     * Hadoop's native zlib compressors batch input by the same 64 KiB.
     */
    static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(CodecSettings.class);

    private CodecSettings() {
    }

    static int bufferSize(Configuration conf) {
        int size = conf == null ? DEFAULT_BUFFER_SIZE : conf.getInt(BUFFER_SIZE_KEY, DEFAULT_BUFFER_SIZE);
        if (size <= 0) {
            throw new IllegalArgumentException(BUFFER_SIZE_KEY + " must be positive, not " + size);
        }
        return size;
    }

    /** The deflate level (-1 for zlib's default, 6) that {@code zlib.compress.level} names. */
    static int level(Configuration conf) {
        if (conf == null) {
            return Deflater.DEFAULT_COMPRESSION;
        }
        CompressionLevel level = ZlibFactory.getCompressionLevel(conf);
        // CompressionLevel's numbers are package-private in Hadoop; these are its values.
        switch (level) {
            case NO_COMPRESSION: return 0;
            case BEST_SPEED: return 1;
            case TWO: return 2;
            case THREE: return 3;
            case FOUR: return 4;
            case FIVE: return 5;
            case SIX: return 6;
            case SEVEN: return 7;
            case EIGHT: return 8;
            case BEST_COMPRESSION: return 9;
            default: return Deflater.DEFAULT_COMPRESSION;
        }
    }

    /**
     * The deflate strategy {@code zlib.compress.strategy} names. Like
     * Hadoop's pure-Java zlib compressor, the ones java.util.zip lacks
     * ({@code RLE}, {@code FIXED}) fall back to the default, with a warning.
     */
    static int strategy(Configuration conf) {
        if (conf == null) {
            return Deflater.DEFAULT_STRATEGY;
        }
        CompressionStrategy strategy = ZlibFactory.getCompressionStrategy(conf);
        switch (strategy) {
            case DEFAULT_STRATEGY: return Deflater.DEFAULT_STRATEGY;
            case FILTERED: return Deflater.FILTERED;
            case HUFFMAN_ONLY: return Deflater.HUFFMAN_ONLY;
            default:
                LOG.warn("zlib.compress.strategy={} is not supported by warpdrive-zip; using DEFAULT_STRATEGY",
                        strategy);
                return Deflater.DEFAULT_STRATEGY;
        }
    }
}
