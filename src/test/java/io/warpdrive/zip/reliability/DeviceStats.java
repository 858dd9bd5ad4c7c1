package io.warpdrive.zip.reliability;

import io.warpdrive.zip.EngineStats;
import io.warpdrive.zip.WarpDrive;

/** The statistics of every device row summed, printed by probes as key=value lines. */
final class DeviceStats {
    long streams;
    long requests;
    long fallbacks;
    long softwareStreams;

    static DeviceStats now() {
        DeviceStats s = new DeviceStats();
        for (EngineStats e : WarpDrive.statistics()) {
            if (e.engine().equals("software")) {
                s.softwareStreams += e.streams();
            } else if (!e.engine().equals("java.util.zip")) {
                s.streams += e.streams();
                s.requests += e.requests();
                s.fallbacks += e.fallbacks();
            }
        }
        return s;
    }

    void print() {
        System.out.println("deviceStreams=" + streams);
        System.out.println("deviceRequests=" + requests);
        System.out.println("fallbacks=" + fallbacks);
        System.out.println("softwareStreams=" + softwareStreams);
        System.out.println("statistics " + WarpDrive.statistics());
        System.out.println("accelerators " + WarpDrive.accelerators());
        System.out.println("devicesListed=" + WarpDrive.accelerators().size());
        System.out.println("devicesIsolated=" + WarpDrive.accelerators().stream().filter(a -> a.isolated()).count());
    }
}
