package io.admconnect.source;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * What a Salesforce source asks and how it reads the answers: the object, the field mapping (without one, the
 * default Contact mapping with the consent checkbox) and an optional extra SOQL condition. Built when the route is
 * created (a bean of the {@code adm-salesforce-source} Kamelet's template), so a bad mapping, object or consent
 * field name stops that route from starting instead of failing its first poll. As a step of the route it puts
 * itself on the exchange for {@link SalesforceSync}.
 */
public class SalesforceQuery implements Processor {

    static final String PROPERTY = "AdmSalesforceQuery";
    private static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    // Set from the Kamelet's parameters, defaults included.
    private String source;
    private String sObjectName;
    private String consentField;
    private String mapping;
    private String where;
    private FieldMapping fieldMapping;

    public void setSource(String source) {
        this.source = source;
    }

    public void setSObjectName(String sObjectName) {
        this.sObjectName = sObjectName.strip();
    }

    public void setConsentField(String consentField) {
        this.consentField = consentField;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public void setWhere(String where) {
        this.where = where;
    }

    /** The bean's init method. */
    public void parse() {
        fieldMapping = SourceMapping.checked(source, () -> {
            if (!OBJECT_NAME.matcher(sObjectName).matches()) {
                throw new IllegalArgumentException("object '" + sObjectName + "' is not a Salesforce object API name such as Contact or Lead");
            }
            return mapping == null || mapping.isBlank() ? FieldMapping.salesforceContact(consentField) : FieldMapping.parse(mapping);
        });
    }

    /** The SOQL of everything changed since the watermark (the first poll, without one, reads everything), oldest first. */
    String soql(Optional<String> since) {
        Set<String> fields = new LinkedHashSet<>(List.of("Id", "IsDeleted", "SystemModstamp"));
        fields.addAll(fieldMapping.nativeFields());
        List<String> conditions = new ArrayList<>();
        since.ifPresent(watermark -> conditions.add("SystemModstamp >= " + watermark));
        if (where != null && !where.isBlank()) {
            conditions.add("(" + where + ")");
        }
        return "SELECT " + String.join(", ", fields) + " FROM " + sObjectName
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY SystemModstamp ASC, Id ASC";
    }

    FieldMapping mapping() {
        return fieldMapping;
    }

    String sObjectName() {
        return sObjectName;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(PROPERTY, this);
    }

    /** The query a route's {@code SalesforceQuery} step put on the exchange. */
    static SalesforceQuery of(Exchange exchange) {
        SalesforceQuery query = exchange.getProperty(PROPERTY, SalesforceQuery.class);
        if (query == null) {
            throw new IllegalStateException("salesforceSync runs in the adm-salesforce-source Kamelet, after its query step");
        }
        return query;
    }

    @Override
    public String toString() {
        return "SalesforceQuery[" + source + ": " + sObjectName + "]";
    }
}
