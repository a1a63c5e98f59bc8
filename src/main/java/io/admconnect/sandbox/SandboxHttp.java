package io.admconnect.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Serves the {@link AdmSandbox} under {@code /sandbox} on the bundle's HTTP port when {@code adm.sandbox=true}:
 * {@code /sandbox/auth/o2/token} (LWA), {@code /sandbox/adm/...} (ADM) and {@code /sandbox/_control/...}
 * (faults, state and accepted members, for people and tests).
 */
@ApplicationScoped
public class SandboxHttp {

    public static final String ROOT = "/sandbox";
    private static final Logger LOG = Logger.getLogger(SandboxHttp.class);

    private final ObjectMapper mapper = new ObjectMapper();

    @ConfigProperty(name = "adm.sandbox", defaultValue = "false")
    boolean enabled;

    @Inject
    Instance<AdmSandbox> sandbox;

    @Produces
    @Singleton
    AdmSandbox sandbox(SandboxSettings settings) {
        return new AdmSandbox(settings);
    }

    void register(@Observes Router router) {
        if (!enabled) {
            return;
        }
        // 10 MB is ADM's limit; one byte more lets the sandbox itself answer 413 as ADM does.
        router.route(ROOT + "/*").handler(BodyHandler.create(false).setBodyLimit(10 * 1024 * 1024 + 1));
        router.route(ROOT + "/_control/*").blockingHandler(this::control, false);
        router.route(ROOT + "/*").blockingHandler(this::serve, false);
        LOG.info("Embedded ADM sandbox serving at " + ROOT + " (never use it for real data)");
    }

    private void serve(RoutingContext context) {
        Map<String, String> headers = new HashMap<>();
        context.request().headers().forEach(entry -> headers.put(entry.getKey(), entry.getValue()));
        Buffer body = context.body().buffer();
        SandboxResponse response = sandbox.get().handle(context.request().method().name(),
                context.request().path().substring(ROOT.length()), context.request().query(), headers,
                body == null ? new byte[0] : body.getBytes());
        if (response.delayMillis() > 0) {
            context.vertx().setTimer(response.delayMillis(), id -> respond(context, response));
        } else {
            respond(context, response);
        }
    }

    private static void respond(RoutingContext context, SandboxResponse response) {
        if (context.response().closed()) {
            return;
        }
        HttpServerResponse http = context.response().setStatusCode(response.status())
                .putHeader("Amazon-Advertising-API-RequestId", java.util.UUID.randomUUID().toString());
        response.headers().forEach(http::putHeader);
        if (response.contentType() != null) {
            http.putHeader("Content-Type", response.contentType());
        }
        http.end(Buffer.buffer(response.body()));
    }

    private void control(RoutingContext context) {
        AdmSandbox admSandbox = sandbox.get();
        String path = context.request().path().substring((ROOT + "/_control").length());
        String method = context.request().method().name();
        JsonNode body = readBody(context);
        JsonNode answer;
        switch (method + " " + path) {
            case "GET /state" -> answer = admSandbox.state();
            case "POST /reset" -> {
                admSandbox.reset();
                answer = admSandbox.state();
            }
            case "POST /faults" -> {
                admSandbox.addFault(mapper.convertValue(body, SandboxFault.class));
                answer = admSandbox.state();
            }
            case "DELETE /faults" -> {
                admSandbox.clearFaults();
                answer = admSandbox.state();
            }
            case "POST /tokens/expire" -> {
                admSandbox.expireTokens();
                if (body.hasNonNull("ttlSeconds")) {
                    admSandbox.setTokenTtl(Duration.ofSeconds(body.get("ttlSeconds").asLong()));
                }
                answer = admSandbox.state();
            }
            case "PUT /refresh-token" -> {
                admSandbox.setRefreshTokenRevoked(body.path("revoked").asBoolean());
                answer = admSandbox.state();
            }
            case "PUT /terms" -> {
                admSandbox.setTermsAccepted(body.path("accepted").asBoolean());
                answer = admSandbox.state();
            }
            case "POST /rejections" -> {
                admSandbox.rejectMembers(mapper.convertValue(body.path("externalUserIds"), List.class));
                answer = admSandbox.state();
            }
            default -> {
                answer = path.startsWith("/data-sets/") && path.endsWith("/members") && "GET".equals(method)
                        ? members(admSandbox, path.substring("/data-sets/".length(), path.length() - "/members".length()),
                                !"false".equals(context.request().getParam("withMember")))
                        : null;
            }
        }
        if (answer == null) {
            context.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end("{\"message\":\"Unknown sandbox control call\"}");
            return;
        }
        context.response().putHeader("Content-Type", "application/json").end(answer.toString());
    }

    private JsonNode members(AdmSandbox admSandbox, String name, boolean withMember) {
        AdmSandbox.DataSet dataSet = admSandbox.dataSet(name);
        if (dataSet == null) {
            return null;
        }
        ObjectNode answer = mapper.createObjectNode().put("dataSetId", dataSet.id()).put("name", dataSet.name())
                .put("accepted", dataSet.acceptedCount()).put("rejected", dataSet.rejectedCount());
        ArrayNode members = answer.putArray("members");
        dataSet.members().forEach((id, stored) -> {
            ObjectNode item = members.addObject().put("externalUserId", id).put("action", stored.action())
                    .put("timesAccepted", stored.timesAccepted()).put("acceptedAt", stored.acceptedAt().toString());
            if (withMember) {
                item.set("member", stored.member());
            }
        });
        return answer;
    }

    private JsonNode readBody(RoutingContext context) {
        Buffer body = context.body().buffer();
        if (body == null || body.length() == 0) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(body.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }
}
