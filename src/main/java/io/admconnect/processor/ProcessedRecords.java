package io.admconnect.processor;

import java.util.List;

import io.admconnect.adm.AdmMember;

/** The output of normalize-hash-consent for a chunk of records: hashed members, and rejections by position. */
public record ProcessedRecords(String dataSet, List<AdmMember> members, List<Rejection> rejections) {

    public int received() {
        return members.size() + rejections.size();
    }

    /** A record that did not become a member: where it was in the source, and why. */
    public record Rejection(long position, RejectionReason reason) {
    }
}
