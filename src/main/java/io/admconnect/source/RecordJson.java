package io.admconnect.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How sources read JSON they are sent (webhook bodies, JSON lines): exactly one value per text (trailing
 * data is an error, not ignored: records after it would go uncounted), no repeated keys (which of two
 * emails would count?), and at most {@value #MAX_NESTING_DEPTH} levels of nesting, so that deeply nested
 * input is refused by the parser before it can exhaust the stack. Jackson's other limits (numbers of at
 * most 1,000 digits, strings of at most 20 million characters) stay; bodies and lines are smaller anyway.
 */
final class RecordJson {

    /** Canonical records nest two levels ({@code consent}); CRM payloads a few more. */
    static final int MAX_NESTING_DEPTH = 32;

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RecordJson() {
    }
}
