package io.admconnect.adm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The request body of an upload, {@code {"members":[...]}}, built from what a route hands the producer:
 * a collection (or array) of {@link AdmMember}s, maps, JSON nodes or member JSON texts, one member, or
 * JSON text (bytes, string or stream) that is either that body or a bare array of members.
 */
record MemberPayload(byte[] json, int memberCount) {

    static MemberPayload of(Object body, ObjectMapper mapper) {
        if (body == null) {
            throw new IllegalArgumentException("uploadMembers needs members in the message body; it was empty");
        }
        if (body instanceof SerializedMembers serialized) {
            checkLimits(serialized.memberCount(), serialized.json().length);
            return new MemberPayload(serialized.json(), serialized.memberCount());
        }
        try {
            Collection<?> members = asMembers(body, mapper);
            checkLimits(members.size(), 0);
            ByteArrayOutputStream out = new ByteArrayOutputStream(members.size() * 512);
            try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
                generator.writeStartObject();
                generator.writeArrayFieldStart("members");
                for (Object member : members) {
                    if (member instanceof CharSequence text) {
                        generator.writeRawValue(text.toString());
                    } else {
                        generator.writeObject(member);
                    }
                }
                generator.writeEndArray();
                generator.writeEndObject();
            }
            checkLimits(members.size(), out.size());
            return new MemberPayload(out.toByteArray(), members.size());
        } catch (IOException e) {
            throw new IllegalArgumentException("uploadMembers could not read the members of the body as JSON", e);
        }
    }

    private static void checkLimits(int memberCount, int bytes) {
        if (memberCount < 1) {
            throw new IllegalArgumentException("uploadMembers needs at least one member; the body had none");
        }
        if (memberCount > AdmConstants.MAX_MEMBERS_PER_UPLOAD) {
            throw new IllegalArgumentException("ADM takes at most " + AdmConstants.MAX_MEMBERS_PER_UPLOAD
                    + " members per upload; the body had " + memberCount);
        }
        if (bytes > AdmConstants.MAX_UPLOAD_BYTES) {
            throw new IllegalArgumentException("ADM takes at most 10 MB per upload; these " + memberCount
                    + " members serialize to " + bytes + " bytes");
        }
    }

    private static Collection<?> asMembers(Object body, ObjectMapper mapper) throws IOException {
        if (body instanceof Collection<?> collection) {
            return collection;
        }
        if (body instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (body instanceof AdmMember member) {
            return List.of(member);
        }
        JsonNode tree;
        if (body instanceof byte[] bytes) {
            tree = mapper.readTree(bytes);
        } else if (body instanceof CharSequence text) {
            tree = mapper.readTree(text.toString());
        } else if (body instanceof InputStream stream) {
            tree = mapper.readTree(stream);
        } else if (body instanceof JsonNode node) {
            tree = node;
        } else {
            throw new IllegalArgumentException("uploadMembers cannot send a body of type " + body.getClass().getName()
                    + "; use a collection of AdmMember (or maps), or JSON text");
        }
        JsonNode members = tree.isArray() ? tree : tree.path("members");
        if (!members.isArray()) {
            throw new IllegalArgumentException("uploadMembers needs a JSON array of members or {\"members\":[...]}");
        }
        return mapper.convertValue(members, List.class);
    }
}
