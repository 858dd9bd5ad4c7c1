package io.warpdrive.zip.agent;

import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwDeflaterOutputStream;
import io.warpdrive.zip.HwGZIPInputStream;
import io.warpdrive.zip.HwGZIPOutputStream;
import io.warpdrive.zip.HwInflater;
import io.warpdrive.zip.HwInflaterInputStream;
import io.warpdrive.zip.HwZipOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.Type;

/**
 * The one table of what the agent replaces: each java.util.zip class and
 * its Hw twin, and the constructors that may be swapped.
 *
 * <p>A creation site is rewritten only when the Hw class has a public
 * constructor with exactly the descriptor the site calls, so the operand
 * stack is the same before and after and no stack map frame changes. The
 * descriptors are read by reflection from the running JDK, so a
 * constructor that a later JDK adds and we do not mirror yet is simply
 * left alone.
 */
final class Replacements {
    private static final Class<?>[][] TABLE = {
        {Deflater.class, HwDeflater.class},
        {Inflater.class, HwInflater.class},
        {DeflaterOutputStream.class, HwDeflaterOutputStream.class},
        {InflaterInputStream.class, HwInflaterInputStream.class},
        {GZIPOutputStream.class, HwGZIPOutputStream.class},
        {GZIPInputStream.class, HwGZIPInputStream.class},
        {ZipOutputStream.class, HwZipOutputStream.class},
    };

    /** The replacements of this JDK, computed once. */
    static final Replacements JDK = new Replacements();

    /** JDK internal name to Hw internal name. */
    private final Map<String, String> twins = new HashMap<>();
    /** JDK internal name to the constructor descriptors the Hw class also has. */
    private final Map<String, Set<String>> constructors = new HashMap<>();

    private Replacements() {
        for (Class<?>[] row : TABLE) {
            String jdk = Type.getInternalName(row[0]);
            twins.put(jdk, Type.getInternalName(row[1]));
            Set<String> shared = new HashSet<>();
            for (Constructor<?> c : row[0].getConstructors()) {
                if (hasPublicTwin(row[1], c)) {
                    shared.add(Type.getConstructorDescriptor(c));
                }
            }
            constructors.put(jdk, Collections.unmodifiableSet(shared));
        }
    }

    private static boolean hasPublicTwin(Class<?> hw, Constructor<?> c) {
        try {
            return Modifier.isPublic(hw.getConstructor(c.getParameterTypes()).getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The internal name of the Hw twin of a JDK class, or null when the class is not replaced. */
    String twin(String jdkInternalName) {
        return twins.get(jdkInternalName);
    }

    /** Whether {@code new owner(...)} with this constructor descriptor may become the Hw twin. */
    boolean replaceable(String owner, String descriptor) {
        Set<String> d = constructors.get(owner);
        return d != null && d.contains(descriptor);
    }

    /** The constructor descriptors of a JDK class that have a Hw twin; empty for other classes. */
    Set<String> replaceableConstructors(String owner) {
        return constructors.getOrDefault(owner, Set.of());
    }

    /** The JDK classes replaced, as internal names. */
    Set<String> replacedClasses() {
        return Collections.unmodifiableSet(twins.keySet());
    }
}
