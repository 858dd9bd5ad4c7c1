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

    private static final boolean RANGE_MESSAGE = probeRangeMessage();

    private JdkBehaviour() {
    }

    /**
     * Checks an (offset, length) range of an array as the JDK's
     * Deflater/Inflater do, throwing the same exception: a bare
     * {@code ArrayIndexOutOfBoundsException} up to JDK 17, one with
     * Preconditions' "Range [off, off + len) out of bounds for length n"
     * on the JDKs that word it so. A null array throws NullPointerException.
     */
    public static void checkRange(int off, int len, int length) {
        if (off < 0 || len < 0 || off > length - len) {
            throw RANGE_MESSAGE
                    ? new ArrayIndexOutOfBoundsException(String.format(
                            "Range [%d, %d + %d) out of bounds for length %d", off, off, len, length))
                    : new ArrayIndexOutOfBoundsException();
        }
    }

    private static boolean probeRangeMessage() {
        Deflater d = new Deflater();
        try {
            d.setInput(new byte[1], 2, 3);
        } catch (ArrayIndexOutOfBoundsException e) {
            return "Range [2, 2 + 3) out of bounds for length 1".equals(e.getMessage());
        } finally {
            d.end();
        }
        return false;
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
