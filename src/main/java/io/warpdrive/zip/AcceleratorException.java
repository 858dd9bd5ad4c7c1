package io.warpdrive.zip;

/**
 * Thrown when an accelerator fails and software fallback has been turned
 * off with {@code -Dwarpdrive.fallback=false} (or {@code WD_FALLBACK=false}).
 * With fallback on (the default) no call ever fails for lack of hardware.
 */
public class AcceleratorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AcceleratorException(String message) {
        super(message);
    }
}
