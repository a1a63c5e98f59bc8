package io.admconnect.source;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs webhook bodies as a CRM does, written here independently of the bundle's own check. */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    /** The {@code X-Signature-256} of a body: {@code sha256=<hex HMAC-SHA256 of its UTF-8 bytes>}. */
    public static String sign(String body, String secret) {
        return sign(body.getBytes(StandardCharsets.UTF_8), secret);
    }

    /** As {@link #sign(String, String)}, for a body's raw bytes (which need not be valid UTF-8). */
    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
