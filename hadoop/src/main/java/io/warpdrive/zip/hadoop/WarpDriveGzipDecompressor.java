package io.warpdrive.zip.hadoop;

import io.warpdrive.zip.HwInflater;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.DirectDecompressor;

/**
 * Decompresses gzip (RFC 1952) with an {@link HwInflater}: the
 * {@link WarpDriveGzipCodec}'s decompressor, for arrays ({@link Decompressor})
 * and for buffers ({@link DirectDecompressor}).
 *
 * <p>Through {@link Decompressor} it behaves like Hadoop's
 * {@code BuiltInGzipDecompressor}: {@link #finished()} turns true at the
 * end of each member (after its CRC-32 and length are checked), and
 * {@link #getRemaining()} then counts the bytes that follow, which
 * Hadoop's {@code DecompressorStream} hands back after {@link #reset()};
 * that is how concatenated members ({@code cat a.gz b.gz}, pigz, bgzip)
 * are read. The input array is read in place, not copied: it must stay
 * unchanged until {@link #needsInput()} is true.
 *
 * <p>Through {@link DirectDecompressor} a call consumes from {@code src}
 * and fills {@code dst} as far as it can and continues into the next
 * member by itself when {@code src} holds one.
 *
 * <p>Unlike Hadoop's, this one may be pooled: {@link #reset()} reuses the
 * native stream.
 */
public final class WarpDriveGzipDecompressor implements Decompressor, DirectDecompressor {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Where in the member the next input byte belongs. */
    private enum State { HEADER, DEFLATE, TRAILER, FINISHED }

    private final HwInflater inflater = new HwInflater(true);
    private final GzipHeaderReader header = new GzipHeaderReader();
    private final CRC32 crc = new CRC32();
    private final byte[] trailer = new byte[GzipFormat.TRAILER_SIZE];
    private int trailerHave;
    private State state = State.HEADER;
    private ByteBuffer in = EMPTY;     // the caller's input; its position is what has been consumed
    private long bytesRead;            // compressed bytes of the members before this one
    private boolean ended;

    /** A decompressor ready for the first member. */
    public WarpDriveGzipDecompressor() {
    }

    /**
     * What serves this decompressor: a device name such as {@code hisi_zip-0},
     * {@code software}, or {@code java.util.zip} (see {@link HwInflater#engine()}).
     */
    public String engine() {
        return inflater.engine();
    }

    @Override
    public void setInput(byte[] b, int off, int len) {
        Objects.requireNonNull(b);
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new ArrayIndexOutOfBoundsException();
        }
        use(ByteBuffer.wrap(b, off, len));
    }

    private void use(ByteBuffer input) {
        in = input;
        if (state == State.DEFLATE) {
            inflater.setInput(in);
        }
    }

    @Override
    public boolean needsInput() {
        if (state == State.DEFLATE) {
            return inflater.needsInput();
        }
        return state != State.FINISHED && !in.hasRemaining();
    }

    /** Always throws: gzip members carry no dictionary. */
    @Override
    public void setDictionary(byte[] b, int off, int len) {
        throw new UnsupportedOperationException("gzip has no preset dictionary");
    }

    /** Always false: gzip members carry no dictionary. */
    @Override
    public boolean needsDictionary() {
        return false;
    }

    /** Whether the current member has ended and its trailer checked out. */
    @Override
    public boolean finished() {
        return state == State.FINISHED;
    }

    /**
     * Decompresses into {@code b[off, off+len)}; returns the number of
     * bytes, 0 when more input is needed or the member is finished.
     *
     * @throws IOException if the data is not gzip, is corrupt, or its
     *                     CRC-32 or length does not match
     */
    @Override
    public int decompress(byte[] b, int off, int len) throws IOException {
        Objects.requireNonNull(b);
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new ArrayIndexOutOfBoundsException();
        }
        return step(() -> {
            int n = inflater.inflate(b, off, len);
            crc.update(b, off, n);
            return n;
        });
    }

    /**
     * Decompresses from {@code src} into {@code dst}, advancing both
     * positions, until {@code dst} is full or {@code src} is used up,
     * across member boundaries. The decompressor keeps no reference to
     * either buffer afterwards.
     *
     * @throws IOException as {@link #decompress(byte[], int, int)}
     */
    @Override
    public void decompress(ByteBuffer src, ByteBuffer dst) throws IOException {
        use(src);
        try {
            while (dst.hasRemaining()) {
                if (state == State.FINISHED) {
                    if (!src.hasRemaining()) {
                        break;
                    }
                    nextMember();
                }
                int srcPos = src.position();
                int dstPos = dst.position();
                step(() -> {
                    int start = dst.position();
                    int n = inflater.inflate(dst);
                    ByteBuffer written = dst.duplicate();
                    written.position(start).limit(start + n);
                    crc.update(written);
                    return n;
                });
                if (src.position() == srcPos && dst.position() == dstPos && state != State.FINISHED) {
                    break; // needs more input
                }
            }
        } finally {
            use(EMPTY);
        }
    }

    private interface Inflate {
        int run() throws DataFormatException;
    }

    /** Runs the member's state machine over the current input, inflating at most once. */
    private int step(Inflate inflate) throws IOException {
        if (ended) {
            throw new IOException("decompress() on a decompressor that has been ended");
        }
        int n = 0;
        if (state == State.HEADER) {
            if (!header.read(in)) {
                return 0;
            }
            state = State.DEFLATE;
            crc.reset();
            inflater.setInput(in);
        }
        if (state == State.DEFLATE) {
            try {
                n = inflate.run();
            } catch (DataFormatException e) {
                throw new IOException("corrupt gzip data: " + e.getMessage(), e);
            }
            if (!inflater.finished()) {
                return n;
            }
            state = State.TRAILER;
        }
        if (state == State.TRAILER) {
            int k = Math.min(in.remaining(), trailer.length - trailerHave);
            in.get(trailer, trailerHave, k);
            trailerHave += k;
            if (trailerHave == trailer.length) {
                checkTrailer();
                state = State.FINISHED;
            }
        }
        return n;
    }

    private void checkTrailer() throws IOException {
        int storedCrc = GzipFormat.getIntLE(trailer, 0);
        int storedSize = GzipFormat.getIntLE(trailer, 4);
        if (storedCrc != (int) crc.getValue()) {
            throw new IOException("corrupt gzip data: CRC-32 mismatch (stored " + Integer.toHexString(storedCrc)
                    + ", computed " + Long.toHexString(crc.getValue()) + ")");
        }
        if (storedSize != (int) inflater.getBytesWritten()) {
            throw new IOException("corrupt gzip data: length mismatch (stored " + Integer.toUnsignedString(storedSize)
                    + ", decompressed " + inflater.getBytesWritten() + " mod 2^32)");
        }
    }

    /**
     * The input bytes not yet consumed; once {@link #finished()}, those
     * after the member (the next member of a concatenated file).
     */
    @Override
    public int getRemaining() {
        return in.remaining();
    }

    /**
     * Compressed bytes consumed since the last {@link #reset()}: header,
     * deflate data and trailer.
     */
    public long getBytesRead() {
        return bytesRead + memberBytesRead();
    }

    private long memberBytesRead() {
        return header.length() + inflater.getBytesRead() + trailerHave;
    }

    /** Starts over at a member header, forgetting the input; reuses the native stream. */
    @Override
    public void reset() {
        if (ended) {
            throw new IllegalStateException("reset() on a decompressor that has been ended");
        }
        restartMember();
        bytesRead = 0;
        in = EMPTY;
    }

    /** The next member of a concatenated stream, in the same input. */
    private void nextMember() {
        bytesRead += memberBytesRead();
        restartMember();
    }

    private void restartMember() {
        inflater.reset();
        header.reset();
        crc.reset();
        trailerHave = 0;
        state = State.HEADER;
    }

    /** Releases the native stream. Idempotent. */
    @Override
    public void end() {
        ended = true;
        in = EMPTY;
        inflater.end();
    }
}
