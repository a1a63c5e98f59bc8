package io.admconnect.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Amazon's own OpenAPI description of ADM ({@code adm/adm-openapi.json}, shipped unchanged): every
 * request the sandbox receives is checked against it, as Amazon's API gateway would.
 */
public final class OpenApiContract {

    public static final String RESOURCE = "adm/adm-openapi.json";

    private final OpenApiInteractionValidator validator;

    public OpenApiContract() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + RESOURCE);
            }
            validator = OpenApiInteractionValidator
                    .createForInlineApiSpecification(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contract's objections to a request (path without the sandbox prefix); empty when it conforms. */
    public List<Violation> check(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), path);
        headers.forEach(request::withHeader);
        query.forEach(request::withQueryParam);
        if (body != null && body.length > 0) {
            request.withBody(body);
        }
        ValidationReport report = validator.validateRequest(request.build());
        return report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .map(message -> new Violation(message.getKey(), message.getMessage()))
                .toList();
    }

    /** One objection: the validator's key (e.g. {@code validation.request.body.schema.required}) and text. */
    public record Violation(String key, String message) {

        boolean isContentType() {
            return key.startsWith("validation.request.contentType");
        }

        boolean isUnknownPath() {
            return key.equals("validation.request.path.missing");
        }

        boolean isMethodNotAllowed() {
            return key.equals("validation.request.operation.notAllowed");
        }
    }
}
