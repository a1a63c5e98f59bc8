package io.admconnect.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Streaming, proven: a child JVM with a 48 MB heap reads generated files of some 180 MB (CSV, 2 million rows
 * and two 50 MB lines) and 60 MB (JSON lines, one 50 MB line). Holding either file, or one of the long
 * lines, would not fit. {@code -Dadm.heavyTests=true} reads 5 million rows instead.
 */
class LargeFileTest {

    @Test
    void largeFilesRunInBoundedMemory() throws IOException, InterruptedException {
        boolean heavy = Boolean.getBoolean("adm.heavyTests");
        int rows = heavy ? 5_000_000 : 2_000_000;
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx48m", "-XX:+UseSerialGC", "-cp", classPath,
                LargeFileCheck.class.getName(), String.valueOf(rows))
                .redirectErrorStream(true)
                .start();
        boolean finished = process.waitFor(heavy ? 180 : 60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(finished, "timed out: " + output);
        assertEquals(0, process.exitValue(), output);
        List<String> lines = output.lines().toList();
        int wrongFieldCount = rows / 100_000;
        long csvLines = 1 + rows + rows / 100 - rows / 100_000 + 2; // header, rows, second lines of quoted names, huge lines
        assertEquals("csv records=" + (rows + 2) + " malformed=" + (wrongFieldCount + 2)
                + " withEmail=" + (rows - wrongFieldCount) + " lastPosition=" + csvLines, lines.get(0));
        assertEquals("jsonl records=" + (rows / 10 + 1) + " malformed=1 withEmail=" + rows / 10 + " lastPosition=" + (rows / 10 + 1),
                lines.get(1));
        System.out.println("LargeFileTest: " + output.strip().replace('\n', ';'));
    }
}
