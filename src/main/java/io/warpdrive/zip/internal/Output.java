package io.warpdrive.zip.internal;

import java.nio.ByteBuffer;

/**
 * Where one call's output goes: an array range, or a direct buffer from its
 * position. The native side always writes into its own staging buffer and
 * only the bytes it reports are copied here: engines that copy in words
 * (our decoder, ISA-L) may change bytes past their output, and
 * java.util.zip never touches a byte it does not write.
 */
public final class Output {
    public byte[] arr;
    public ByteBuffer direct;
    public int off;
    public int len;
    private int startPos;

    /** For a writable ByteBuffer (the caller checked isReadOnly()). */
    public void prepare(ByteBuffer b) {
        startPos = b.position();
        len = Math.max(b.limit() - startPos, 0);
        if (b.isDirect()) {
            arr = null;
            direct = b;
            off = startPos;
        } else {
            arr = b.array();
            direct = null;
            off = b.arrayOffset() + startPos;
        }
    }

    public void advance(ByteBuffer b, int written) {
        b.position(startPos + written);
        direct = null; // not kept past the call
    }
}
