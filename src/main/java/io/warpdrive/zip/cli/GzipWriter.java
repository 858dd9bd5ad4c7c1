package io.warpdrive.zip.cli;

import io.warpdrive.zip.HwDeflater;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes one gzip member: the header (with the original name and mtime
 * when given, as gzip does for files), raw DEFLATE from a {@link HwDeflater}
 * fed in 64 KiB chunks, and the CRC-32/ISIZE trailer.
 */
final class GzipWriter {
    private GzipWriter() {
    }

    /**
     * Compresses all of {@code in} into {@code out} as one gzip member.
     *
     * @param name  the FNAME field (the input's base name, no NUL), or null
     * @param mtime seconds since the epoch for MTIME; 0 or out of range stores 0
     * @return bytes read, bytes written (header and trailer included), the engine
     */
    static Gzip.Transfer compress(InputStream in, OutputStream out, int level, byte[] name, long mtime)
            throws IOException {
        long t0 = System.nanoTime();
        byte[] header = header(level, name, mtime);
        out.write(header);
        long written = header.length;
        CRC32 crc = new CRC32();
        byte[] inBuf = new byte[Gzip.CHUNK];
        byte[] outBuf = new byte[Gzip.CHUNK];
        HwDeflater def = new HwDeflater(level, true);
        String engine;
        try {
            int n;
            while ((n = in.read(inBuf)) >= 0) {
                if (n == 0) {
                    continue;
                }
                crc.update(inBuf, 0, n);
                def.setInput(inBuf, 0, n);
                while (!def.needsInput()) {
                    written += drain(def, outBuf, out);
                }
            }
            def.finish();
            while (!def.finished()) {
                written += drain(def, outBuf, out);
            }
            engine = def.engine();
            byte[] trailer = new byte[Gzip.TRAILER];
            Gzip.putLe32(trailer, 0, crc.getValue());
            Gzip.putLe32(trailer, 4, def.getBytesRead());
            out.write(trailer);
            written += trailer.length;
            return new Gzip.Transfer(def.getBytesRead(), written, engine, System.nanoTime() - t0);
        } finally {
            def.end();
        }
    }

    private static int drain(Deflater def, byte[] buf, OutputStream out) throws IOException {
        int k = def.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
        if (k > 0) {
            out.write(buf, 0, k);
        }
        return k;
    }

    static byte[] header(int level, byte[] name, long mtime) {
        int nameLen = name == null ? 0 : name.length + 1;
        byte[] h = new byte[Gzip.FIXED_HEADER + nameLen];
        h[0] = (byte) Gzip.ID1;
        h[1] = (byte) Gzip.ID2;
        h[2] = Gzip.CM_DEFLATE;
        h[3] = (byte) (name == null ? 0 : Gzip.FNAME);
        Gzip.putLe32(h, 4, mtime > 0 && mtime <= 0xffffffffL ? mtime : 0);
        h[8] = (byte) (level == 9 ? Gzip.XFL_BEST : level == 1 ? Gzip.XFL_FAST : 0);
        h[9] = Gzip.OS_UNIX;
        if (name != null) {
            System.arraycopy(name, 0, h, Gzip.FIXED_HEADER, name.length);
            // the zero terminator is already there
        }
        return h;
    }
}
