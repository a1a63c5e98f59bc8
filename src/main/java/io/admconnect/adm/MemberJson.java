package io.admconnect.adm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A member in ADM's JSON, byte for byte what Jackson writes for an {@link AdmMember} (fields in declaration
 * order, nulls left out, strings escaped as Jackson escapes them), written field by field into a per-thread
 * buffer: a file brings millions of members, and Jackson's bean serialization cost several times as much
 * time and allocation per member. {@code MemberJsonTest} holds it to Jackson's output.
 */
public final class MemberJson {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    private MemberJson() {
    }

    public static byte[] of(AdmMember member) {
        Buffer out = BUFFER.get();
        out.size = 0;
        out.raw('{');
        boolean first = out.field(true, "action", member.action());
        first = out.field(first, "externalUserId", member.externalUserId());
        if (member.userIdentity() != null) {
            out.name(first, "userIdentity").raw('{');
            if (member.userIdentity().hashedPiis() != null) {
                out.name(true, "hashedPiis").raw('[');
                boolean firstPii = true;
                for (AdmMember.HashedPii pii : member.userIdentity().hashedPiis()) {
                    if (!firstPii) {
                        out.raw(',');
                    }
                    firstPii = false;
                    if (pii == null) {
                        out.ascii("null");
                        continue;
                    }
                    out.raw('{');
                    boolean firstHash = out.field(true, "em", pii.em());
                    firstHash = out.field(firstHash, "ph", pii.ph());
                    firstHash = out.field(firstHash, "fn", pii.fn());
                    firstHash = out.field(firstHash, "ln", pii.ln());
                    firstHash = out.field(firstHash, "ad", pii.ad());
                    firstHash = out.field(firstHash, "cty", pii.cty());
                    firstHash = out.field(firstHash, "st", pii.st());
                    out.field(firstHash, "zip", pii.zip());
                    out.raw('}');
                }
                out.raw(']');
            }
            out.raw('}');
            first = false;
        }
        AdmMember.UserConsent userConsent = member.userConsent();
        if (userConsent != null) {
            out.name(first, "userConsent").raw('{');
            boolean firstPart = true;
            if (userConsent.geo() != null) {
                out.name(true, "geo").raw('{');
                out.field(out.field(true, "countryCode", userConsent.geo().countryCode()), "ipAddress", userConsent.geo().ipAddress());
                out.raw('}');
                firstPart = false;
            }
            AdmMember.Consent consent = userConsent.consent();
            if (consent != null) {
                out.name(firstPart, "consent").raw('{');
                boolean firstSignal = true;
                if (consent.amzn() != null) {
                    out.name(true, "amzn").raw('{');
                    out.field(out.field(true, "amznAdStorage", consent.amzn().amznAdStorage()), "amznUserData", consent.amzn().amznUserData());
                    out.raw('}');
                    firstSignal = false;
                }
                out.field(out.field(firstSignal, "tcf", consent.tcf()), "gpp", consent.gpp());
                out.raw('}');
            }
            out.raw('}');
        }
        out.raw('}');
        return Arrays.copyOf(out.bytes, out.size);
    }

    /** A growable byte buffer, reused by its thread. */
    private static final class Buffer {
        byte[] bytes = new byte[2048];
        int size;

        /** Writes {@code "name":"value"} (after a comma unless first) when the value is not null; returns whether still first. */
        boolean field(boolean first, String name, String value) {
            if (value == null) {
                return first;
            }
            name(first, name);
            string(value);
            return false;
        }

        Buffer name(boolean first, String name) {
            if (!first) {
                raw(',');
            }
            string(name);
            return raw(':');
        }

        /** A JSON string in UTF-8, escaped as Jackson does: quote, backslash and control characters only. */
        void string(String value) {
            raw('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    raw(c);
                } else if (c == '"' || c == '\\') {
                    raw('\\').raw(c);
                } else if (c < 0x20) {
                    escapeControl(c);
                } else {
                    // Non-ASCII as UTF-8 bytes (surrogate pairs together).
                    int end = Character.isHighSurrogate(c) && i + 1 < value.length() ? i + 2 : i + 1;
                    for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                        raw(b);
                    }
                    i = end - 1;
                }
            }
            raw('"');
        }

        private void escapeControl(char c) {
            switch (c) {
                case '\b' -> raw('\\').raw('b');
                case '\t' -> raw('\\').raw('t');
                case '\n' -> raw('\\').raw('n');
                case '\f' -> raw('\\').raw('f');
                case '\r' -> raw('\\').raw('r');
                default -> ascii("\\u00").raw(HEX[c >> 4]).raw(HEX[c & 0xF]);
            }
        }

        Buffer ascii(String text) {
            for (int i = 0; i < text.length(); i++) {
                raw(text.charAt(i));
            }
            return this;
        }

        Buffer raw(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) b;
            return this;
        }
    }
}
