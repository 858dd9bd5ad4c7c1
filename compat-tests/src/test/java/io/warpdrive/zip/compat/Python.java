package io.warpdrive.zip.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Python's {@code zlib} and {@code gzip} modules as a peer, many jobs per
 * {@code python3} process: jobs are queued with {@link #add}, run together
 * by {@link #run}, and each job's result is read from its own file, so one
 * bad job fails only its own cell.
 */
final class Python {
    /**
     * One job per manifest line: {@code op fmt level mode points src dst dict}
     * ({@code dict}: a preset dictionary file, or empty). Decompression is
     * strict: the stream must end, and nothing may follow it.
     */
    private static final String SCRIPT = """
            import gzip, io, sys, zlib
            WBITS = {'raw': -15, 'zlib': 15, 'gzip': 31}
            MODES = {'sync': zlib.Z_SYNC_FLUSH, 'full': zlib.Z_FULL_FLUSH}
            def pieces(data, points):
                cuts = [int(p) for p in points.split(',') if p]
                start = 0
                for p in cuts:
                    yield data[start:p], True
                    start = p
                yield data[start:], False
            def job(op, fmt, level, mode, points, data, zdict):
                if op == 'zlib-d':
                    d = zlib.decompressobj(WBITS[fmt], **zdict)
                    out = d.decompress(data) + d.flush()
                    if not d.eof:
                        raise ValueError('the stream does not end')
                    if d.unused_data:
                        raise ValueError('%d bytes after the end of the stream' % len(d.unused_data))
                    return out
                if op == 'gzip-d':
                    return gzip.decompress(data)
                if op == 'zlib-c':
                    c = zlib.compressobj(int(level), zlib.DEFLATED, WBITS[fmt], **zdict)
                    out = []
                    for piece, flush in pieces(data, points):
                        out.append(c.compress(piece))
                        if flush:
                            out.append(c.flush(MODES[mode]))
                    out.append(c.flush(zlib.Z_FINISH))
                    return b''.join(out)
                if op == 'gzip-c':
                    buf = io.BytesIO()
                    with gzip.GzipFile(fileobj=buf, mode='wb', compresslevel=int(level), mtime=0) as f:
                        for piece, flush in pieces(data, points):
                            f.write(piece)
                            if flush:
                                f.flush(MODES[mode])
                    return buf.getvalue()
                raise ValueError('unknown op ' + op)
            for line in open(sys.argv[1], encoding='utf-8'):
                op, fmt, level, mode, points, src, dst, dict_path = line.rstrip('\\n').split('\\t')
                try:
                    zdict = {}
                    if dict_path:
                        with open(dict_path, 'rb') as f:
                            zdict = {'zdict': f.read()}
                    with open(src, 'rb') as f:
                        out = job(op, fmt, level, mode, points, f.read(), zdict)
                    with open(dst, 'wb') as f:
                        f.write(out)
                except Exception as e:
                    with open(dst + '.err', 'w', encoding='utf-8') as f:
                        f.write(type(e).__name__ + ': ' + str(e))
            """;

    /** A queued job; {@link #result} after {@link #run}. */
    static final class Job {
        private final Path out;
        private final String what;

        private Job(Path out, String what) {
            this.out = out;
            this.what = what;
        }

        /** The job's output bytes; fails with Python's error when the job raised. */
        byte[] result() throws IOException {
            if (Tools.find("python3") == null) {
                Tools.require("python3"); // fails, or skips this cell when missing tools are allowed
            }
            Path err = out.resolveSibling(out.getFileName() + ".err");
            if (Files.exists(err)) {
                fail("python3 " + what + " raised " + Files.readString(err, StandardCharsets.UTF_8));
            }
            if (!Files.exists(out)) {
                fail("python3 " + what + " left no output (did the batch run?)");
            }
            return Files.readAllBytes(out);
        }
    }

    private final Path dir;
    private final List<String> manifest = new ArrayList<>();

    Python(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /**
     * Queues {@code op} ({@code zlib-d}, {@code gzip-d}, {@code zlib-c},
     * {@code gzip-c}) on {@code input}, a file that must exist when {@link #run} runs.
     */
    Job add(String op, String format, int level, Corpus.Flush flush, Path input) {
        return add(op, format, level, flush, input, null);
    }

    /** {@link #add(String, String, int, Corpus.Flush, Path)} with a preset dictionary file (zlib ops only). */
    Job add(String op, String format, int level, Corpus.Flush flush, Path input, Path dictionary) {
        int n = manifest.size();
        Path out = dir.resolve("job" + n + ".out");
        String mode = flush.mode() == java.util.zip.Deflater.FULL_FLUSH ? "full" : "sync";
        String points = "";
        if (flush != Corpus.Flush.NONE) {
            try {
                int len = (int) Files.size(input);
                points = IntStream.of(flush.points(len)).mapToObj(Integer::toString).collect(Collectors.joining(","));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        manifest.add(String.join("\t", op, format, Integer.toString(level), mode, points, input.toString(),
                out.toString(), dictionary == null ? "" : dictionary.toString()));
        return new Job(out, op + " " + format + " on " + input.getFileName());
    }

    /** Runs every queued job in one python3 process; without python3 each job's cell fails on its own. */
    void run() throws IOException, InterruptedException {
        if (Tools.find("python3") == null) {
            return;
        }
        Path script = Files.writeString(dir.resolve("jobs.py"), SCRIPT);
        Path list = Files.write(dir.resolve("jobs.tsv"), manifest, StandardCharsets.UTF_8);
        Tools.Result r = Tools.tool(dir, null, "python3", script.toString(), list.toString());
        assertEquals(0, r.status(), "python3 batch of " + manifest.size() + " jobs: " + r);
    }
}
