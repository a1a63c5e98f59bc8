package io.admconnect.processor;

import io.admconnect.adm.AdmMember;

/** What normalize-hash-consent made of one canonical record: a member, or a rejection with its reason. */
public sealed interface RecordOutcome {

    record Member(AdmMember member) implements RecordOutcome {
    }

    record Rejected(RejectionReason reason) implements RecordOutcome {
    }
}
