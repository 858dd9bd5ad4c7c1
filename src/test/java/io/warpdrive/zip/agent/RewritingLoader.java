package io.warpdrive.zip.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.util.Map;

/**
 * Defines a set of compiled classes itself, passing each through a
 * transformer first, as the JVM does under an agent; everything else
 * (the JDK, io.warpdrive.zip) comes from the parent. Classes it defines
 * are verified by the JVM like any application class.
 */
final class RewritingLoader extends ClassLoader {
    private final Map<String, byte[]> classes;
    private final ClassFileTransformer transformer;

    RewritingLoader(Map<String, byte[]> classes, ClassFileTransformer transformer) {
        super("fixtures", RewritingLoader.class.getClassLoader());
        this.classes = classes;
        this.transformer = transformer;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        byte[] original = classes.get(name);
        if (original == null) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] b = original;
                try {
                    byte[] t = transformer.transform(this, name.replace('.', '/'), null, null, original);
                    b = t != null ? t : original;
                } catch (IllegalClassFormatException e) {
                    throw new ClassNotFoundException(name, e);
                }
                c = defineClass(name, b, 0, b.length);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
