package io.warpdrive.zip.cli;

import java.io.PrintStream;

/**
 * Messages to the user and the exit status, with gzip's rules: 0 ok,
 * 1 error, 2 warning; an error outranks a warning, and {@code -q} silences
 * warnings but not the status they leave.
 */
final class Reporter {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int WARNING = 2;
    static final String PROGRAM = "wdzip";

    private final PrintStream err;
    private final boolean quiet;
    private int status = OK;
    private boolean stopped;

    Reporter(PrintStream err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    /** An error: always printed, exit status 1. */
    void error(String message) {
        err.println(PROGRAM + ": " + message);
        err.flush();
        status = ERROR;
    }

    /** A warning: printed unless -q, exit status 2 unless an error came first. */
    void warn(String message) {
        if (!quiet) {
            err.println(PROGRAM + ": " + message);
            err.flush();
        }
        if (status == OK) {
            status = WARNING;
        }
    }

    /** A note that does not change the exit status (gzip's "already has .gz suffix"). */
    void note(String message) {
        if (!quiet) {
            err.println(PROGRAM + ": " + message);
            err.flush();
        }
    }

    /** A line for -v; stderr, as gzip does. */
    void verbose(String line) {
        err.println(line);
        err.flush();
    }

    /**
     * Stops the run without a message, status 1: the reader of stdout went away
     * (gzip dies of SIGPIPE there, silently; the JVM ignores SIGPIPE).
     */
    void stdoutClosed() {
        status = ERROR;
        stopped = true;
    }

    /** Whether the run should process no further files. */
    boolean stopped() {
        return stopped;
    }

    boolean quiet() {
        return quiet;
    }

    int status() {
        return status;
    }
}
