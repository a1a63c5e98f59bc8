package io.admconnect.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The country of a data set: declared under {@code adm.data-sets.<name>.country-code}, else {@code adm.country}. */
@ApplicationScoped
public class DataSetCountries {

    @Inject
    AdmSettings settings;

    public String countryOf(String dataSet) {
        AdmSettings.DataSet declared = settings.dataSets().get(dataSet);
        return declared != null && declared.countryCode().isPresent() ? declared.countryCode().get() : settings.country();
    }
}
