package io.warpdrive.zip.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The standard streams of one wdzip run and whether each is a terminal.
 * {@link #system()} gives the process's own; tests pass byte arrays.
 * {@code out} is binary (compressed data goes there), so it is never a
 * {@link PrintStream}; text for the user goes through {@link #text()}.
 */
final class Io {
    final InputStream in;
    final OutputStream out;
    final PrintStream err;
    final boolean inTty;
    final boolean outTty;
    final boolean errTty;
    private PrintStream text;

    Io(InputStream in, OutputStream out, PrintStream err, boolean inTty, boolean outTty, boolean errTty) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.inTty = inTty;
        this.outTty = outTty;
        this.errTty = errTty;
    }

    /** The process's stdin, stdout and stderr, unbuffered at this level (callers buffer). */
    static Io system() {
        return new Io(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                System.err, Terminal.isTerminal(Terminal.STDIN), Terminal.isTerminal(Terminal.STDOUT),
                Terminal.isTerminal(Terminal.STDERR));
    }

    /** stdout for text (tables, listings), in the platform charset; flushed by the caller. */
    PrintStream text() {
        if (text == null) {
            text = new PrintStream(new NonClosing(out), false, Charset.defaultCharset());
        }
        return text;
    }

    /** Keeps a wrapper's close() from closing stdout. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
