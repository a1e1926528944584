package io.github.intuneexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.intuneexporter.contract.EndpointTemplates;
import io.github.intuneexporter.contract.GraphContract;
import io.github.intuneexporter.contract.Rejection;
import io.github.intuneexporter.contract.RequestCheck;
import io.github.intuneexporter.contract.ResolvedPath;
import io.github.intuneexporter.contract.ResponseCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the simulator to Microsoft's published contract ({@link GraphContract}): a request whose path or query the
 * metadata of its version does not allow is refused as Graph refuses it, and every JSON response the simulator sends
 * is checked against the same metadata. Both kinds of finding are kept (see {@link TenantSimulator#contractFindings()})
 * so tests can fail on them even when a collector swallows the error, and logged once each.
 */
final class ContractEnforcer {
    private static final Logger LOG = LoggerFactory.getLogger(ContractEnforcer.class);
    private static final int MAX_FINDINGS = 1000;

    private final List<String> findings = new ArrayList<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /**
     * The rejection Graph would send for this request, or empty: what the metadata of its version does not allow, then a
     * system query option the endpoint's reference page does not allow ({@link GraphReference.QueryOptions}).
     */
    Optional<Rejection> checkRequest(SimulatorRequest request) {
        GraphContract contract = GraphContract.of(request.version);
        Optional<Rejection> r = RequestCheck.check(contract, request.method(), request.path, request.query);
        if (r.isEmpty()) {
            r = unsupportedOption(request);
        }
        if (r.isEmpty() && request.method().equals("POST")) {
            r = checkBody(contract, request);
        }
        r.ifPresent(rejection -> record("request refused: " + request.method() + " /" + request.version + request.path
                + query(request) + " -> " + rejection.status() + " " + rejection.message()));
        return r;
    }

    /**
     * Reads the POST body (and puts it back for the handler) and checks it against the action's parameters or the
     * created entity's type.
     */
    private static Optional<Rejection> checkBody(GraphContract contract, SimulatorRequest request) {
        byte[] body;
        try {
            body = request.exchange.getRequestBody().readAllBytes();
        } catch (IOException e) {
            return Optional.empty(); // the client went away; the handler sees the same
        }
        request.exchange.setStreams(new ByteArrayInputStream(body), null);
        if (body.length == 0) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = TenantSimulator.MAPPER.readTree(body);
        } catch (IOException e) {
            return Optional.of(new Rejection(
                    400,
                    "BadRequest",
                    "Unable to read JSON request payload. Please ensure Content-Type "
                            + "header is set and payload is of valid JSON format."));
        }
        return RequestCheck.checkBody(contract, request.method(), request.path, json);
    }

    /** The first system query option the page of the request's endpoint does not allow, refused as Graph refuses it. */
    static Optional<Rejection> unsupportedOption(SimulatorRequest request) {
        GraphReference.Endpoint documented = GraphReference.find(request.method(), EndpointTemplates.of(request.path));
        if (documented == null) {
            return Optional.empty(); // not a documented endpoint: the route table answers (404)
        }
        for (String option : request.query.keySet()) {
            String o = option.toLowerCase(Locale.ROOT);
            if (o.startsWith("$") && !documented.queryOptions().allowed().contains(o)) {
                return Optional.of(new Rejection(400, "BadRequest", GraphReference.notAllowedMessage(option)));
            }
        }
        return Optional.empty();
    }

    /** Tees the response body so {@link #checkResponse} can read what was sent. */
    static Tee capture(HttpExchange exchange) {
        Tee tee = new Tee(exchange.getResponseBody());
        exchange.setStreams(null, tee);
        return tee;
    }

    /** Checks a 200 JSON response body of {@code request} against the contract. */
    void checkResponse(SimulatorRequest request, byte[] body) {
        GraphContract contract = GraphContract.of(request.version);
        ResolvedPath target = contract.resolve(request.path);
        if (!target.found() || body.length == 0) {
            return;
        }
        JsonNode tree;
        try {
            tree = TenantSimulator.MAPPER.readTree(body);
        } catch (IOException e) {
            record("response not JSON: /" + request.version + request.path + query(request) + ": " + e.getMessage());
            return;
        }
        for (String v : ResponseCheck.check(contract, target, tree)) {
            record("response of " + request.method() + " /" + request.version + request.path + query(request) + ": "
                    + v);
        }
    }

    private static String query(SimulatorRequest request) {
        String raw = request.exchange.getRequestURI().getRawQuery();
        return raw == null ? "" : "?" + raw;
    }

    /** Keeps and logs each distinct finding once: item indices and skip tokens would repeat it per item and page. */
    private void record(String finding) {
        String general =
                finding.replaceAll("\\$skiptoken=[^&: ]*", "\\$skiptoken=…").replaceAll("\\[\\d+]", "[]");
        if (logged.size() < MAX_FINDINGS && logged.add(general)) {
            synchronized (findings) {
                findings.add(general);
            }
            LOG.warn("Graph contract: {}", general);
        }
    }

    List<String> findings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    void clear() {
        synchronized (findings) {
            findings.clear();
            logged.clear();
        }
    }

    /** An output stream that writes through to {@code out} and keeps a copy. */
    static final class Tee extends FilterOutputStream {
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        Tee(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            copy.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            copy.write(b, off, len);
        }
    }
}
