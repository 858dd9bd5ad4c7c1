package io.warpdrive.zip.internal;

import java.nio.ByteBuffer;

/** Where one native call writes: an array range, or a direct buffer's memory. */
public final class Output {
    public byte[] arr;
    public int off;
    public long addr;
    public int len;
    private int startPos;

    /** For a writable ByteBuffer (the caller checked isReadOnly()). */
    public void prepare(ByteBuffer b) {
        startPos = b.position();
        len = Math.max(b.limit() - startPos, 0);
        if (b.isDirect()) {
            arr = null;
            off = 0;
            addr = len > 0 ? Input.address(b) + startPos : 0;
        } else {
            arr = b.array();
            off = b.arrayOffset() + startPos;
            addr = 0;
        }
    }

    public void advance(ByteBuffer b, int written) {
        b.position(startPos + written);
    }
}
