package io.warpdrive.zip.internal;

/** Read-only queries of the native library for the public facade. */
public final class NativeInfo {
    private NativeInfo() {
    }

    /** Devices, one per line, tab separated (see wd_stream.h); "" when unavailable. */
    public static String devices() {
        return Loader.available() ? Loader.text(WdNative::wds_devices) : "";
    }

    /** Engine statistics, one engine per line, tab separated; "" when unavailable. */
    public static String stats() {
        return Loader.available() ? Loader.text(WdNative::wds_stats) : "";
    }

    public static String version() {
        return Loader.available() ? WdNative.wds_version() : null;
    }

    /** Sets a native configuration key at run time (affects streams opened later). */
    public static boolean configure(String key, String value) {
        return Loader.available() && WdNative.wds_config_set(key, value) == 0;
    }
}
