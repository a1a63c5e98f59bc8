package io.admconnect.adm;

/** What an {@code adm:} endpoint does when an exchange reaches it. */
public enum AdmOperation {
    /** Upload the body's members to the endpoint's data set ({@code POST /adm/audiences/{id}/members}). */
    uploadMembers,
    /** Erase users from the data room by external user id ({@code POST /adm/identities/delete}). */
    deleteIdentities,
    /** Resolve the data set's name to its id, creating the data set when it does not exist. */
    ensureDataSet,
    /** Make sure a sharing rule (DSP audience, AMC, Events Manager) exists for the data set. */
    createSharingRule,
    /** List every data set of the account. */
    listDataSets,
    /** Read the data set's metrics ({@code GET /adm/datasets/{id}/metrics}). */
    dataSetMetrics
}
