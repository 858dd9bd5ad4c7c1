package io.warpdrive.zip.cli;

import io.warpdrive.zip.WarpDrive;

/** The text of {@code wdzip --help} and {@code wdzip --version}. */
final class Usage {
    private Usage() {
    }

    static final String HELP = String.join("\n",
            "Usage: wdzip [OPTION]... [FILE]...",
            "       wdzip devices",
            "       wdzip bench [-l LEVELS] [--size MB] [--time SECONDS] [--json] [--per-file] [FILE]...",
            "",
            "Compress or decompress FILEs in the gzip format (in place by default), like gzip,",
            "on a WarpDrive hardware compression engine when one is present, otherwise on the",
            "native software engine, otherwise on java.util.zip. With no FILE, or when FILE",
            "is -, read standard input and write standard output.",
            "",
            "  -c, --stdout      write on standard output, keep the input files",
            "  -d, --decompress  decompress (FILE.gz, .tgz -> .tar, .z, -gz, -z, _z, .taz)",
            "  -f, --force       overwrite existing output files; compress links and",
            "                    files that already have a .gz suffix; write compressed data",
            "                    to a terminal; with -dc, copy data that is not gzip unchanged",
            "  -h, --help        give this help",
            "  -k, --keep        keep (don't delete) input files",
            "  -n, --no-name     compressing: don't store the file name and time stamp",
            "  -N, --name        decompressing: restore the stored file name and time stamp",
            "                    (without it the name is FILE minus its suffix and the time",
            "                    stamp is FILE's, as in gzip)",
            "  -q, --quiet       suppress all warnings",
            "  -r, --recursive   operate recursively on directories",
            "  -S, --suffix=SUF  use suffix SUF instead of .gz",
            "  -t, --test        test compressed file integrity",
            "  -v, --verbose     verbose: per file the ratio, the engine that served it and",
            "                    the throughput (MB/s, 10^6 bytes per second, uncompressed)",
            "  -V, --version     display version number",
            "  -1, --fast        compress faster",
            "  -9, --best        compress better (default level: 6)",
            "",
            "Outputs are written to a temporary file beside the target and renamed when",
            "complete: an error or an interrupt never leaves a partial file. The input's",
            "permissions, owner and times are given to the output, and the input is",
            "removed after success unless -k or -c. Concatenated gzip members (as gzip and",
            "pigz write them) are read in sequence; trailing zeros are ignored, other",
            "trailing data gives a warning. An existing output is never overwritten",
            "without -f (wdzip does not ask).",
            "",
            "Subcommands (as the first argument; to compress a file named 'devices' or",
            "'bench', write ./devices or put -- first):",
            "  devices           list the accelerators (name, id, NUMA node, free queues,",
            "                    SVA/NOSVA, API, algorithms) and what serves without them",
            "  bench [FILE]...   compress and decompress FILEs, or a generated corpus",
            "                    (text, source code, binary, JSON/XML, already compressed),",
            "                    with java.util.zip and with warpdrive-zip in the same run,",
            "                    64 KiB chunks through the byte[] API; prints MB/s and ratios",
            "                    side by side per level and the engine that served.",
            "      -l, --levels L     levels, e.g. 1,6,9 (the default) or 1-9",
            "      --size MB          size of the generated corpus (default 40)",
            "      --time SECONDS     minimum timed run per case (default 1)",
            "      --chunk KIB        chunk size in KiB (default 64)",
            "      --json             machine-readable output on stdout",
            "      --per-file         also a row per input (file, or part of the corpus)",
            "      --write-corpus DIR write the generated corpus to DIR and stop",
            "      -q                 no progress bar",
            "",
            "Configuration (system property, e.g. java -Dwarpdrive.emulate=hisi_zip:2 -jar ...,",
            "or its environment variable, read when the property is absent):",
            "  warpdrive.emulate   WD_EMULATE       emulated devices: DRIVER:COUNT[:nosva][:v2]",
            "                                       [:errors=F][:timeouts=F][:remove_after=N]",
            "                                       [:queues=N], e.g. hisi_zip:2 (default off)",
            "  warpdrive.devices   WD_DEVICES       device ids allowed, e.g. 0,2-3 (default all)",
            "  warpdrive.fallback  WD_FALLBACK      false: fail instead of falling back to",
            "                                       software (default true)",
            "  warpdrive.threshold WD_HW_THRESHOLD  streams whose first request is smaller",
            "                                       stay in software (default 1024 bytes)",
            "  warpdrive.threads   WD_THREADS       software async workers (default: CPUs)",
            "  warpdrive.retain    WD_HW_RETAIN     input kept for a software replay of device",
            "                                       decompression (default 8 MiB)",
            "  warpdrive.sysfs     WD_SYSFS_ROOT    UACCE class directory (/sys/class/uacce)",
            "  warpdrive.dev       WD_DEV_ROOT      device node directory (/dev)",
            "  warpdrive.library.path               load the native library from this file only",
            "                      WD_LOG           native log level 0-3 (default 1)",
            "  The ./wdzip script passes JAVA_OPTS to java, e.g. JAVA_OPTS=-Dwarpdrive.devices=0.",
            "",
            "Exit status: 0 ok, 1 error, 2 warning (as gzip).",
            "");

    static String version() {
        String v = Usage.class.getPackage().getImplementationVersion();
        StringBuilder sb = new StringBuilder("wdzip (warpdrive-zip) ").append(v != null ? v : "(development build)")
                .append('\n');
        if (WarpDrive.nativeAvailable()) {
            sb.append("native library ").append(WarpDrive.nativeVersion()).append(": ")
                    .append(WarpDrive.nativeLibraryPath()).append('\n');
        } else {
            sb.append("native library unavailable (").append(WarpDrive.nativeUnavailableReason())
                    .append("): java.util.zip serves\n");
        }
        sb.append("Java ").append(System.getProperty("java.version")).append(", ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append('\n');
        return sb.toString();
    }
}
