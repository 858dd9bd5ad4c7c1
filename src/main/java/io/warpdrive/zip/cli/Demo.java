package io.warpdrive.zip.cli;

import io.warpdrive.zip.HwGZIPOutputStream;
import io.warpdrive.zip.WarpDrive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Gzips one file through HwGZIPOutputStream and says which engine served it. */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Demo FILE   (writes FILE.gz)");
            System.exit(2);
        }
        Path in = Paths.get(args[0]);
        Path out = Paths.get(args[0] + ".gz");
        long t0 = System.nanoTime();
        String engine;
        try (InputStream is = Files.newInputStream(in);
             HwGZIPOutputStream os = new HwGZIPOutputStream(Files.newOutputStream(out))) {
            is.transferTo(os);
            os.finish();
            engine = os.engine();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s -> %s: %d -> %d bytes in %.3f s, engine %s%s%n", in, out, Files.size(in),
                Files.size(out), s, engine,
                WarpDrive.nativeAvailable() ? "" : " (" + WarpDrive.nativeUnavailableReason() + ")");
    }
}
