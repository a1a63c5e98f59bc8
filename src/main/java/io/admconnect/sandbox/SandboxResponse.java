package io.admconnect.sandbox;

import java.util.HashMap;
import java.util.Map;

/** What the sandbox answers: status, body, extra headers, and how long to wait before answering. */
public record SandboxResponse(int status, String contentType, byte[] body, Map<String, String> headers, long delayMillis) {

    public SandboxResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, 0);
    }

    SandboxResponse withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new SandboxResponse(status, contentType, body, Map.copyOf(more), delayMillis);
    }

    SandboxResponse delayed(long millis) {
        return new SandboxResponse(status, contentType, body, headers, millis);
    }
}
