package io.admconnect.processor;

import java.util.Map;

/**
 * One record as a source read it: canonical field name -> value, with its position in the source (the
 * line of a file, the index in a webhook body) so a rejection can point at it. A source that could not
 * read the record at all (malformed, or too large to hold) hands it on already rejected with that reason,
 * so that it is counted like any other.
 */
public record SourceRecord(long position, Map<String, Object> fields, RejectionReason malformed) {

    public static SourceRecord of(long position, Map<String, Object> fields) {
        return new SourceRecord(position, fields, null);
    }

    public static SourceRecord malformed(long position) {
        return new SourceRecord(position, Map.of(), RejectionReason.MALFORMED_RECORD);
    }

    public static SourceRecord tooLarge(long position) {
        return new SourceRecord(position, Map.of(), RejectionReason.RECORD_TOO_LARGE);
    }
}
