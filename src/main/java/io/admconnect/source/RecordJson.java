package io.admconnect.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How sources read JSON they are sent (webhook bodies, JSON lines), with Jackson's own checks: exactly one
 * value per text (trailing data is an error, not ignored: records after it would go uncounted), no repeated
 * keys (which of two emails would count?), at most {@value #MAX_NESTING_DEPTH} levels of nesting (deeper
 * input is refused by the parser before it can exhaust the stack) and at most {@value #MAX_TOKENS} tokens
 * (a 10 MB body of empty objects would otherwise become millions of nodes). Jackson's other limits stay:
 * numbers of at most 1,000 digits, strings of at most 20 million characters (bodies and lines are smaller).
 */
final class RecordJson {

    /** Canonical records nest two levels ({@code consent}); CRM payloads a few more. */
    static final int MAX_NESTING_DEPTH = 32;
    /** Room for a webhook's 10,000 records of CRM-shaped JSON (about 40 to 80 tokens each). */
    static final int MAX_TOKENS = 1_000_000;

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxTokenCount(MAX_TOKENS)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RecordJson() {
    }
}
