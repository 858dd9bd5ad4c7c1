package io.warpdrive.zip.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The input side of a Deflater/Inflater, kept exactly as java.util.zip
 * keeps it: an array range, or a ByteBuffer whose position advances as
 * input is consumed. {@link #prepare()} turns the current input into what
 * one native call takes (an array range, or an address for direct memory).
 */
public final class Input {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private ByteBuffer buffer = EMPTY; // null when an array is set
    private byte[] array;
    private int pos;
    private int lim;

    // Filled by prepare(): bytes at arr[off..off+len), or buf[off..off+len) for a
    // read-only heap buffer (no array to reach), or else native memory at addr.
    public byte[] arr;
    public ByteBuffer buf;
    public int off;
    public long addr;
    public int len;
    private int startPos;

    public void set(byte[] a, int offset, int length) {
        buffer = null;
        array = a;
        pos = offset;
        lim = offset + length;
    }

    public void set(ByteBuffer b) {
        buffer = b;
        array = null;
    }

    public void clear() {
        buffer = EMPTY;
        array = null;
    }

    public boolean needsInput() {
        ByteBuffer b = buffer;
        return b == null ? lim == pos : !b.hasRemaining();
    }

    public int remaining() {
        ByteBuffer b = buffer;
        return b == null ? lim - pos : b.remaining();
    }

    /** The buffer a native call reads from, to keep reachable across it; null for arrays. */
    public ByteBuffer held() {
        return buffer;
    }

    public void prepare() {
        ByteBuffer b = buffer;
        if (b == null) {
            startPos = pos;
            arr = array;
            buf = null;
            off = pos;
            len = lim - pos;
            addr = 0;
            return;
        }
        startPos = b.position();
        int rem = Math.max(b.limit() - startPos, 0);
        arr = null;
        buf = null;
        off = 0;
        addr = 0;
        len = rem;
        if (b.isDirect()) {
            addr = rem > 0 ? address(b) + startPos : 0;
        } else if (b.hasArray()) {
            arr = b.array();
            off = b.arrayOffset() + startPos;
        } else {
            buf = b;
            off = startPos;
        }
    }

    /** Advances past what the native call consumed. */
    public void advance(int read) {
        if (buffer == null) {
            pos = startPos + read;
        } else {
            buffer.position(startPos + read);
        }
    }

    /** The address of a direct buffer's first byte. */
    public static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
