package io.admconnect.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An open-loop webhook sender as lean as the benchmark machine needs: request i is due at start + i / rate,
 * taken by the first of a fixed set of kept-alive HTTP/1.1 connections that is free, and its times are
 * counted from when it was due (a request that finds every connection busy leaves late, and its latency
 * shows it). Plain sockets and pre-built requests: java.net.http cost a core at 1,000 requests/s on two.
 */
final class WebhookLoad {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[][] requests;
    private final int rate;
    private final AtomicInteger next = new AtomicInteger();
    /** When each request was due (epoch millis), and how long after that its answer came (nanoseconds). */
    final long[] dueAt;
    final long[] answeredAfter;
    /** Records the bundle accepted (its 202 answers), and failures by cause. */
    final AtomicInteger accepted = new AtomicInteger();
    final Map<String, Integer> failures = new ConcurrentHashMap<>();

    /** {@code requests}: each a complete HTTP request (head and body). */
    WebhookLoad(byte[][] requests, int rate) {
        this.requests = requests;
        this.rate = rate;
        this.dueAt = new long[requests.length];
        this.answeredAfter = new long[requests.length];
    }

    /** Sends every request on {@code connections} connections to the port; returns when all are answered. */
    void run(int port, int connections, Runnable atWarmupEnd, int warmup) throws InterruptedException {
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        Thread[] senders = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            senders[c] = new Thread(() -> send(port, startNanos, startMillis, atWarmupEnd, warmup), "webhook-load-" + c);
            senders[c].start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
    }

    private void send(int port, long startNanos, long startMillis, Runnable atWarmupEnd, int warmup) {
        Socket socket = null;
        InputStream in = null;
        for (int i = next.getAndIncrement(); i < requests.length; i = next.getAndIncrement()) {
            long dueNanos = startNanos + (long) i * 1_000_000_000L / rate;
            LockSupport.parkNanos(dueNanos - System.nanoTime());
            if (i == warmup) {
                atWarmupEnd.run();
            }
            dueAt[i] = startMillis + (dueNanos - startNanos) / 1_000_000;
            try {
                if (socket == null) {
                    socket = new Socket("127.0.0.1", port);
                    socket.setTcpNoDelay(true);
                    in = new BufferedInputStream(socket.getInputStream());
                }
                socket.getOutputStream().write(requests[i]);
                Answer answer = read(in);
                answeredAfter[i] = System.nanoTime() - dueNanos;
                if (answer.status() == 202) {
                    accepted.addAndGet(MAPPER.readTree(answer.body()).path("accepted").asInt());
                } else {
                    failures.merge(String.valueOf(answer.status()), 1, Integer::sum);
                }
            } catch (IOException e) {
                answeredAfter[i] = System.nanoTime() - dueNanos;
                failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                close(socket);
                socket = null;
            }
        }
        close(socket);
    }

    /** An HTTP/1.1 request of the webhook: its head and body as the bytes to send. */
    static byte[] request(int port, String signature, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /webhooks/crm HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "X-Signature-256: " + signature + "\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + content.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    private record Answer(int status, byte[] body) {
    }

    /** Reads one answer: the status line, the headers (the body's length or chunked encoding), the body. */
    private static Answer read(InputStream in) throws IOException {
        int status = Integer.parseInt(line(in).split(" ")[1]);
        int length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).strip());
            } else if (header.regionMatches(true, 0, "Transfer-Encoding:", 0, 18) && header.toLowerCase().contains("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            return new Answer(status, in.readNBytes(length));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
            body.write(in.readNBytes(size));
            line(in); // the CRLF after the chunk
        }
        line(in); // the empty line after the last chunk
        return new Answer(status, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void close(Socket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // going anyway
        }
    }
}
