package io.admconnect.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/** Every log message of the JVM (formatted) between {@link #start()} and {@link #stop()}: for tests of what gets logged. */
final class LogCapture extends Handler {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    void start() {
        Logger.getLogger("").addHandler(this);
    }

    void stop() {
        Logger.getLogger("").removeHandler(this);
    }

    /** The messages so far (a live list). */
    List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
