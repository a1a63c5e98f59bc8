package io.admconnect.source;

/**
 * A dropped file that cannot be read as a whole (not UTF-8 text, an unsupported type, no
 * {@code externalUserId} column after mapping): the caller moves it to {@code .error/}. The message names
 * the file and the problem, never record content.
 */
public class UnusableFileException extends RuntimeException {

    private final String fileName;
    private final String problem;

    public UnusableFileException(String fileName, String problem) {
        this(fileName, problem, null);
    }

    public UnusableFileException(String fileName, String problem, Throwable cause) {
        super(fileName + ": " + problem, cause);
        this.fileName = fileName;
        this.problem = problem;
    }

    /** The name of the file, as given to the reader. */
    public String fileName() {
        return fileName;
    }

    /** The problem without the file name, e.g. {@code not UTF-8 text (invalid byte sequence on line 3)}. */
    public String problem() {
        return problem;
    }
}
