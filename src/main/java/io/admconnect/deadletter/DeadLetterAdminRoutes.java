package io.admconnect.deadletter;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The admin API over dead letters, behind {@code ADMIN_TOKEN}:
 * {@code GET /admin/dead-letters?dataSet=&reason=&offset=0&limit=100} and
 * {@code POST /admin/dead-letters/replay} with an optional filter body {@code {"dataSet":..,"reason":..}}.
 */
@ApplicationScoped
public class DeadLetterAdminRoutes extends RouteBuilder {

    private static final int MAX_LIMIT = 1000;

    @Inject
    DeadLetterStore deadLetters;

    @Inject
    AdminAuthorization authorization;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public void configure() {
        from("platform-http:/admin/dead-letters?httpMethodRestrict=GET")
                .routeId("admin-dead-letters")
                .bean(authorization, "check")
                .process(this::list);

        from("platform-http:/admin/dead-letters/replay?httpMethodRestrict=POST")
                .routeId("admin-dead-letters-replay")
                .bean(authorization, "check")
                .process(this::replay);
    }

    private void list(Exchange exchange) throws IOException {
        DeadLetterStore.Filter filter = new DeadLetterStore.Filter(
                exchange.getMessage().getHeader("dataSet", String.class), exchange.getMessage().getHeader("reason", String.class));
        int offset = Math.max(0, exchange.getMessage().getHeader("offset", 0, Integer.class));
        int limit = Math.min(MAX_LIMIT, Math.max(1, exchange.getMessage().getHeader("limit", 100, Integer.class)));
        DeadLetterStore.Page page = deadLetters.list(filter, offset, limit);

        ObjectNode body = mapper.createObjectNode().put("total", page.total()).put("offset", offset).put("limit", limit);
        ArrayNode items = body.putArray("deadLetters");
        for (DeadLetter letter : page.deadLetters()) {
            ObjectNode item = items.addObject().put("id", letter.id()).put("dataSet", letter.dataSet())
                    .put("action", letter.action()).put("externalUserId", letter.externalUserId()).put("reason", letter.reason())
                    .put("details", letter.details()).put("attempts", letter.attempts()).put("requestId", letter.requestId())
                    .put("source", letter.source()).put("receivedAt", letter.receivedAt().toString())
                    .put("deadLetteredAt", letter.deadLetteredAt().toString());
            item.set("member", mapper.readTree(letter.member()));
        }
        respond(exchange, 200, body);
    }

    private void replay(Exchange exchange) throws IOException {
        String text = exchange.getMessage().getBody(String.class);
        JsonNode filter;
        try {
            filter = text == null || text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text);
        } catch (IOException e) {
            respond(exchange, 400, mapper.createObjectNode().put("message", "The body must be a JSON filter such as {\"dataSet\":\"x\"}"));
            return;
        }
        int replayed = deadLetters.replay(new DeadLetterStore.Filter(filter.path("dataSet").asText(null), filter.path("reason").asText(null)));
        respond(exchange, 200, mapper.valueToTree(Map.of("replayed", replayed)));
    }

    private void respond(Exchange exchange, int status, JsonNode body) throws IOException {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(mapper.writeValueAsString(body));
    }

}
