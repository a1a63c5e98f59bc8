package io.admconnect.adm;

import java.util.List;

/**
 * What ADM did with one upload: members listed in {@link #rejected()} (by their position in the request)
 * were refused, every other member was accepted.
 */
public record UploadResult(String dataSetId, String ingressId, String requestId, int sent, List<RejectedMember> rejected) {

    public int accepted() {
        return sent - rejected.size();
    }

    /** A member ADM refused inside a 200 answer, with Amazon's code and reason. */
    public record RejectedMember(int index, String code, String details) {
    }
}
