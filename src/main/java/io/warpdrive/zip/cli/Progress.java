package io.warpdrive.zip.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, drawn by a daemon thread a few times
 * a second, only when stderr is a terminal and only once the work has run
 * for a second (short runs stay silent, pipes never see a carriage return).
 */
final class Progress implements AutoCloseable {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REDRAW_MILLIS = 200;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private final Thread painter;
    private volatile double fraction;
    private volatile String label = "";
    private boolean drawn;

    Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
        if (enabled) {
            painter = new Thread(this::paintLoop, "wdzip-progress");
            painter.setDaemon(true);
            painter.start();
        } else {
            painter = null;
        }
    }

    /** Sets the share done (0..1) and what is running. */
    void update(double done, String what) {
        fraction = Math.max(0, Math.min(1, done));
        label = what;
    }

    private void paintLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(REDRAW_MILLIS);
                if (System.nanoTime() - start >= SHOW_AFTER_NANOS) {
                    draw();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void draw() {
        int filled = (int) Math.round(fraction * WIDTH);
        String line = String.format(Locale.ROOT, "\r[%s%s] %3d%%  %-40.40s", "#".repeat(filled),
                " ".repeat(WIDTH - filled), Math.round(fraction * 100), label);
        err.print(line);
        err.flush();
        drawn = true;
    }

    /** Stops drawing and erases the bar. */
    @Override
    public void close() {
        if (!enabled) {
            return;
        }
        painter.interrupt();
        try {
            painter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (drawn) {
                err.print("\r" + " ".repeat(WIDTH + 50) + "\r");
                err.flush();
                drawn = false;
            }
        }
    }
}
