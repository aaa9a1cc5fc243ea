package io.vigil.cli;

/** A user error the CLI reports as one line with exit code 2 (missing file, bad flag value). */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
