package io.warpdrive.zip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/** The table of replaced classes against the running JDK. */
class ReplacementsTest {
    private static final Replacements TABLE = Replacements.JDK;

    @Test
    void replacesTheSevenJavaUtilZipClasses() {
        assertEquals(Set.of("java/util/zip/Deflater", "java/util/zip/Inflater",
                "java/util/zip/DeflaterOutputStream", "java/util/zip/InflaterInputStream",
                "java/util/zip/GZIPOutputStream", "java/util/zip/GZIPInputStream",
                "java/util/zip/ZipOutputStream"), TABLE.replacedClasses());
    }

    @Test
    void everyPublicJdkConstructorHasAHwTwinWithTheSameDescriptor() throws ClassNotFoundException {
        for (String jdk : TABLE.replacedClasses()) {
            Set<String> all = new TreeSet<>();
            for (Constructor<?> c : Class.forName(jdk.replace('/', '.')).getConstructors()) {
                all.add(Type.getConstructorDescriptor(c));
            }
            assertFalse(all.isEmpty());
            assertEquals(all, new TreeSet<>(TABLE.replaceableConstructors(jdk)), jdk + " constructors without a twin");
        }
    }

    @Test
    void everyTwinExtendsTheClassItReplaces() throws ClassNotFoundException {
        for (String jdk : TABLE.replacedClasses()) {
            Class<?> parent = Class.forName(jdk.replace('/', '.'));
            Class<?> twin = Class.forName(TABLE.twin(jdk).replace('/', '.'));
            assertTrue(twin.getName().startsWith("io.warpdrive.zip.Hw"), twin.getName());
            assertEquals(parent, twin.getSuperclass());
        }
    }

    @Test
    void otherClassesAndUnknownConstructorsAreNotReplaced() {
        assertNull(TABLE.twin("java/util/zip/ZipInputStream"));
        assertNull(TABLE.twin("java/util/zip/CRC32"));
        assertFalse(TABLE.replaceable("java/util/zip/ZipInputStream", "(Ljava/io/InputStream;)V"));
        assertFalse(TABLE.replaceable("java/util/zip/Deflater", "(Ljava/lang/String;)V"));
        assertTrue(TABLE.replaceable("java/util/zip/Deflater", "(IZ)V"));
    }
}
