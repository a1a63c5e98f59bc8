package io.admconnect.source;

import static io.admconnect.source.Files.bytes;
import static io.admconnect.source.Files.concat;
import static io.admconnect.source.Files.map;
import static io.admconnect.source.Files.readAll;
import static io.admconnect.source.Files.rec;
import static io.admconnect.source.Files.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;

import io.admconnect.processor.SourceRecord;
import org.junit.jupiter.api.Test;

/** JSON lines drops: nested mapping, malformed lines with their numbers, blank lines, limits, encoding. */
class JsonLinesFileReaderTest {

    @Test
    void canonicalLinesPassThroughWithNestedConsent() {
        String jsonl = """
                {"externalUserId":"u1","email":"a@example.com","consent":{"userData":"GRANTED","adStorage":true},"extra":1}
                {"externalUserId":"u2","phone":15550100123,"consent.userData":false,"action":"remove"}
                """;
        assertEquals(List.of(
                rec(1, "externalUserId", "u1", "email", "a@example.com", "consent", map("userData", "GRANTED", "adStorage", true)),
                rec(2, "externalUserId", "u2", "phone", 15550100123L, "action", "remove", "consent.userData", false)),
                readAll("events.jsonl", jsonl));
    }

    @Test
    void aMappingReachesIntoNestedObjects() {
        FieldMapping mapping = FieldMapping.parse("""
                externalUserId: id
                email: properties.email.value
                phone: properties.phones.0 | properties.phone.value
                firstName: firstWord(properties.name)
                lastName: lastWords(properties.name)
                consent.userData: properties.consent.ads
                countryCode: properties.country | 'US'
                """);
        String jsonl = """
                {"id":"h-1","properties":{"email":{"value":"a@example.com"},"phones":["+1 555 0100"],"name":"Mary Ann Smith","consent":{"ads":true}}}
                {"id":"h-2","properties":{"phone":{"value":"+49 30 123"},"name":"Bo","consent":{"ads":"DENIED"},"country":"DE"}}
                {"id":"h-3"}
                """;
        assertEquals(List.of(
                rec(1, "externalUserId", "h-1", "email", "a@example.com", "phone", "+1 555 0100", "firstName", "Mary",
                        "lastName", "Ann Smith", "consent.userData", true, "countryCode", "US"),
                rec(2, "externalUserId", "h-2", "phone", "+49 30 123", "firstName", "Bo", "consent.userData", "DENIED",
                        "countryCode", "DE"),
                rec(3, "externalUserId", "h-3", "countryCode", "US")),
                readAll("hubspot.jsonl", jsonl, mapping));
    }

    @Test
    void linesThatAreNotOneJsonObjectAreMalformedWithTheirLineNumbers() {
        String jsonl = String.join("\n",
                "{\"externalUserId\":\"u1\"}",           // 1
                "[{\"externalUserId\":\"u2\"}]",         // 2 an array
                "42",                                    // 3 a number
                "{\"externalUserId\":\"u4\"",            // 4 unterminated
                "null",                                  // 5
                "\"u6\"",                                // 6 a string
                "{\"externalUserId\":\"u7\"} {\"x\":1}", // 7 trailing data
                "{\"externalUserId\":\"u8\",\"externalUserId\":\"u9\"}", // 8 repeated key
                "{'externalUserId':'u10'}",              // 9 not JSON quotes
                "{\"externalUserId\":\"u11\",}",         // 10 trailing comma
                "  {\"externalUserId\":\"u12\"}  ",      // 11 fine: surrounding whitespace
                "{}");                                   // 12 fine: an empty object
        assertEquals(List.of(
                rec(1, "externalUserId", "u1"),
                SourceRecord.malformed(2),
                SourceRecord.malformed(3),
                SourceRecord.malformed(4),
                SourceRecord.malformed(5),
                SourceRecord.malformed(6),
                SourceRecord.malformed(7),
                SourceRecord.malformed(8),
                SourceRecord.malformed(9),
                SourceRecord.malformed(10),
                rec(11, "externalUserId", "u12"),
                rec(12)), readAll("mixed.jsonl", jsonl));
    }

    @Test
    void blankLinesAreSkippedAndCrlfIsALineEnd() {
        String jsonl = "\r\n{\"externalUserId\":\"u1\"}\r\n \t\r\n\r\n{\"externalUserId\":\"u2\"}\n\n{\"externalUserId\":\"u3\"}";
        assertEquals(List.of(rec(2, "externalUserId", "u1"), rec(5, "externalUserId", "u2"), rec(7, "externalUserId", "u3")),
                readAll("b.jsonl", jsonl));
    }

    @Test
    void valueTypesAreKept() {
        FieldMapping mapping = FieldMapping.parse("externalUserId: id\npostalCode: zip\nphone: phone\nconsent.userData: c\nconsent.tcf: t");
        assertEquals(List.of(rec(1, "externalUserId", 7, "postalCode", "02134", "phone", new BigInteger("123456789012345678901"),
                        "consent.userData", true)),
                readAll("t.jsonl", "{\"id\":7,\"zip\":\"02134\",\"phone\":123456789012345678901,\"c\":true,\"t\":null}\n", mapping));
    }

    @Test
    void aLineOverTheLimitIsTooLargeAndTheNextLineRead() {
        String huge = "{\"externalUserId\":\"u2\",\"note\":\"" + "x".repeat(5000) + "\"}";
        String jsonl = "{\"externalUserId\":\"u1\"}\n" + huge + "\r\n{\"externalUserId\":\"u3\"}\n";
        assertEquals(List.of(rec(1, "externalUserId", "u1"), SourceRecord.tooLarge(2), rec(3, "externalUserId", "u3")),
                readAll("l.jsonl", utf8(jsonl), null, RecordFileOptions.defaults().withMaxRecordChars(1000)));
    }

    @Test
    void quotesAndDelimitersMeanNothingInJsonLines() {
        assertEquals(List.of(rec(1, "externalUserId", "u1", "firstName", "a,\"b"), rec(2, "externalUserId", "u2")),
                readAll("q.jsonl", "{\"externalUserId\":\"u1\",\"firstName\":\"a,\\\"b\"}\n{\"externalUserId\":\"u2\"}\n"));
    }

    @Test
    void aMappingWithoutExternalUserIdIsUnusable() {
        assertEquals("x.jsonl: the field mapping does not map externalUserId",
                assertThrows(UnusableFileException.class,
                        () -> RecordFileReader.open(utf8("{}\n"), "x.jsonl", FieldMapping.parse("email: e"))).getMessage());
    }

    @Test
    void invalidUtf8IsUnusable() {
        byte[] file = concat(bytes("{\"externalUserId\":\"u1\",\"firstName\":\"Zo"), new byte[] {(byte) 0xEB}, bytes("\"}\n"));
        assertEquals("bad.jsonl: not UTF-8 text (invalid byte sequence in the first 8192 bytes)",
                assertThrows(UnusableFileException.class, () -> RecordFileReader.open(new ByteArrayInputStream(file), "bad.jsonl", null))
                        .getMessage());
    }

    @Test
    void emptyFileHasNoRecords() throws IOException {
        try (RecordFileReader reader = RecordFileReader.open(utf8(""), "e.jsonl", null)) {
            assertFalse(reader.hasNext());
            assertEquals(RecordFileReader.Format.JSONL, reader.format());
            assertEquals("e.jsonl", reader.fileName());
        }
    }
}
