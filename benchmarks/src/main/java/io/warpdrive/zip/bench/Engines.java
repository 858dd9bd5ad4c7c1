package io.warpdrive.zip.bench;

/**
 * Chooses what serves warpdrive-zip in this JMH fork. It must run before
 * the library loads; JMH starts a fresh JVM for every parameter set.
 *   software  the native software engine (ISA-L for level 1 and inflate, zlib otherwise)
 *   zlib      the native software engine on zlib only
 *   emulated  the emulated hisi_zip device (two of them)
 */
final class Engines {
    private Engines() {
    }

    static void select(String engine) {
        switch (engine) {
            case "software":
                break;
            case "zlib":
                System.setProperty("warpdrive.engine", "zlib");
                break;
            case "emulated":
                System.setProperty("warpdrive.emulate", "hisi_zip:2");
                break;
            default:
                throw new IllegalArgumentException("engine must be software, zlib or emulated: " + engine);
        }
    }
}
