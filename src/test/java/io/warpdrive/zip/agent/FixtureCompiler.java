package io.warpdrive.zip.agent;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles test programs with the JDK's compiler for a given release, so
 * the agent is tested on class files as javac writes them for Java 8
 * (version 52) and for Java 17 (version 61).
 */
final class FixtureCompiler {
    private FixtureCompiler() {
    }

    /**
     * Compiles sources, each given as (binary class name, source text).
     *
     * @return every class file produced, by binary name (nested classes included)
     */
    static Map<String, byte[]> compile(int release, Path workDir, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(workDir.resolve("src" + release));
        Path out = Files.createDirectories(workDir.resolve("classes" + release));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            List<String> options = List.of("--release", Integer.toString(release), "-Xlint:-options",
                    "-d", out.toString());
            if (!javac.getTask(diagnostics, fm, null, options, null, units).call()) {
                throw new IllegalStateException("fixture does not compile:\n" + diagnostics);
            }
        }
        Map<String, byte[]> classes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(out)) {
            for (Path p : (Iterable<Path>) all.filter(x -> x.toString().endsWith(".class"))::iterator) {
                String rel = out.relativize(p).toString();
                classes.put(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'), Files.readAllBytes(p));
            }
        }
        return classes;
    }

    /** The class file major version: 52 for Java 8, 61 for Java 17. */
    static int majorVersion(byte[] classfile) {
        return (classfile[6] & 0xff) << 8 | classfile[7] & 0xff;
    }
}
