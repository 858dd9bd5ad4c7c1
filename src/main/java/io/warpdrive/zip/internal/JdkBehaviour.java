package io.warpdrive.zip.internal;

import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What the running JDK throws when a closed Deflater/Inflater is used:
 * {@code NullPointerException} up to JDK 24, {@code IllegalStateException}
 * from JDK 25. Probed once on the JDK's own classes, so we mirror it exactly.
 */
public final class JdkBehaviour {
    private static final Function<String, RuntimeException> DEFLATER_CLOSED = probe(true);
    private static final Function<String, RuntimeException> INFLATER_CLOSED = probe(false);

    private JdkBehaviour() {
    }

    public static RuntimeException deflaterClosed() {
        return DEFLATER_CLOSED.apply("Deflater has been closed");
    }

    public static RuntimeException inflaterClosed() {
        return INFLATER_CLOSED.apply("Inflater has been closed");
    }

    private static Function<String, RuntimeException> probe(boolean deflater) {
        try {
            if (deflater) {
                Deflater d = new Deflater();
                d.end();
                d.getAdler();
            } else {
                Inflater i = new Inflater();
                i.end();
                i.getAdler();
            }
        } catch (IllegalStateException e) {
            return IllegalStateException::new;
        } catch (RuntimeException e) {
            return NullPointerException::new;
        }
        return NullPointerException::new;
    }
}
