package io.warpdrive.zip.hadoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.CompressorStream;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.DecompressorStream;

/**
 * Streams that borrow their (de)compressor from {@link CodecPool} and give
 * it back when closed, as Hadoop's own gzip codec does for
 * {@code createOutputStream(out)} (Hadoop's helper for this is not public).
 */
final class PooledStreams {
    private PooledStreams() {
    }

    static CompressionOutputStream output(CompressionCodec codec, Configuration conf, OutputStream out)
            throws IOException {
        Compressor c = CodecPool.getCompressor(codec, conf);
        try {
            return new Output(out, c, CodecSettings.bufferSize(conf));
        } catch (RuntimeException e) {
            CodecPool.returnCompressor(c);
            throw e;
        }
    }

    static CompressionInputStream input(CompressionCodec codec, Configuration conf, InputStream in)
            throws IOException {
        Decompressor d = CodecPool.getDecompressor(codec);
        try {
            return new Input(in, d, CodecSettings.bufferSize(conf));
        } catch (IOException | RuntimeException e) {
            CodecPool.returnDecompressor(d);
            throw e;
        }
    }

    private static final class Output extends CompressorStream {
        private Compressor borrowed;

        Output(OutputStream out, Compressor compressor, int bufferSize) {
            super(out, compressor, bufferSize);
            this.borrowed = compressor;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (borrowed != null) {
                    CodecPool.returnCompressor(borrowed);
                    borrowed = null;
                }
            }
        }
    }

    private static final class Input extends DecompressorStream {
        private Decompressor borrowed;

        Input(InputStream in, Decompressor decompressor, int bufferSize) throws IOException {
            super(in, decompressor, bufferSize);
            this.borrowed = decompressor;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (borrowed != null) {
                    CodecPool.returnDecompressor(borrowed);
                    borrowed = null;
                }
            }
        }
    }
}
