package io.warpdrive.zip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** Runs in a child JVM by LoaderTest: prints what a user without the native library sees. */
final class HiddenLibraryProbe {
    private HiddenLibraryProbe() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("available=" + WarpDrive.nativeAvailable());
        System.out.println("reason=" + WarpDrive.nativeUnavailableReason());
        byte[] data = TestData.text(200_000, 9);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        String engine;
        try (HwGZIPOutputStream gz = new HwGZIPOutputStream(bos)) {
            gz.write(data);
            gz.finish();
            engine = gz.engine();
        }
        System.out.println("engine=" + engine);
        byte[] back;
        try (HwGZIPInputStream in = new HwGZIPInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            back = in.readAllBytes();
        }
        System.out.println("roundtrip=" + (Arrays.equals(data, back) ? "ok" : "MISMATCH"));
        System.out.println("stats=" + WarpDrive.statistics());
    }
}
