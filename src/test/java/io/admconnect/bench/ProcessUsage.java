package io.admconnect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the kernel says a process has used so far: CPU seconds (user + system) and peak resident memory. */
record ProcessUsage(double cpuSeconds, long peakRssMb) {

    /** Clock ticks per second of /proc/[pid]/stat (USER_HZ; 100 on Linux x86 and arm). */
    private static final double TICKS = 100.0;

    static ProcessUsage of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
            long peak = 0;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line) / 1024;
                }
            }
            return new ProcessUsage(cpu, peak);
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("\\D", ""));
    }
}
