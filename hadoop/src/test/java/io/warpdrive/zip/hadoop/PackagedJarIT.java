package io.warpdrive.zip.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Dependency hygiene of the packaged jar (failsafe, after {@code package}):
 * our classes only, nothing of Hadoop's or the core's shaded in, and the pom
 * it carries keeps Hadoop out of what users' builds pull in.
 */
class PackagedJarIT {
    private static final String OURS = "io/warpdrive/zip/hadoop/";

    private static JarFile jar() throws IOException {
        String path = System.getProperty("wd.hadoop.jar");
        assertNotNull(path, "wd.hadoop.jar is set by the pom");
        return new JarFile(path);
    }

    @Test
    void holdsOnlyOurClassesAndMavenMetadata() throws IOException {
        List<String> foreign = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = jar()) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                if (name.startsWith(OURS) && (name.endsWith(".class") || name.endsWith("/"))) {
                    classes += name.endsWith(".class") ? 1 : 0;
                } else if (!name.startsWith("META-INF/") && !OURS.startsWith(name)) {
                    foreign.add(name);
                }
            }
            assertNotNull(jar.getEntry(OURS + "WarpDriveGzipCodec.class"));
            assertNotNull(jar.getEntry(OURS + "WarpDriveDeflateCodec.class"));
            assertNotNull(jar.getEntry(OURS + "example/WordCount.class"));
        }
        assertEquals(List.of(), foreign, "entries that are not ours");
        assertTrue(classes > 5, classes + " classes");
    }

    @Test
    void itsPomKeepsHadoopProvidedAndDependsOnTheCore() throws Exception {
        try (JarFile jar = jar()) {
            JarEntry pom = jar.getJarEntry("META-INF/maven/io.warpdrive/warpdrive-zip-hadoop/pom.xml");
            assertNotNull(pom, "maven-jar-plugin embeds the pom");
            Document doc;
            try (InputStream in = jar.getInputStream(pom)) {
                doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            }
            NodeList deps = doc.getElementsByTagName("dependency");
            boolean core = false;
            List<String> leaking = new ArrayList<>();
            for (int i = 0; i < deps.getLength(); i++) {
                Element d = (Element) deps.item(i);
                String group = text(d, "groupId");
                String artifact = text(d, "artifactId");
                String scope = text(d, "scope");
                if (group.equals("io.warpdrive") && artifact.equals("warpdrive-zip")) {
                    core = scope.isEmpty() || scope.equals("compile");
                } else if (!scope.equals("provided") && !scope.equals("test")) {
                    leaking.add(group + ":" + artifact + " (" + (scope.isEmpty() ? "compile" : scope) + ")");
                }
            }
            assertTrue(core, "compile dependency on io.warpdrive:warpdrive-zip");
            assertEquals(List.of(), leaking, "dependencies users would inherit besides the core");
        }
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
    }
}
