package io.github.intuneexporter.graph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.RequestAdapter;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import io.github.intuneexporter.contract.EndpointTemplates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Graph through the SDK's request adapter (so authentication, retry with Retry-After, and the
 * request metrics all apply) but parses the bodies itself with Jackson: collections are streamed item by
 * item without building SDK models, flag enums keep every flag, and enum casing never loses a value.
 */
public final class GraphApi {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private final RequestAdapter adapter;
    private final int pageSize;
    private final int maxPages;
    private final okhttp3.OkHttpClient plainHttp;
    private final long maxResponseBytes;

    /** Default of intune.graph.max-response-size. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

    /** Reads one collection item; the parser stands on its START_OBJECT and must be left on its END_OBJECT. */
    @FunctionalInterface
    public interface ItemReader {
        void read(JsonParser parser) throws IOException;
    }

    public GraphApi(RequestAdapter adapter, int pageSize, int maxPages) {
        this(adapter, pageSize, maxPages, null);
    }

    /** {@code plainHttp} fetches non-Graph URLs (export downloads): no Graph middleware, no token. */
    public GraphApi(RequestAdapter adapter, int pageSize, int maxPages, okhttp3.OkHttpClient plainHttp) {
        this(adapter, pageSize, maxPages, plainHttp, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** {@code maxResponseBytes} bounds every JSON answer read (intune.graph.max-response-size). */
    public GraphApi(
            RequestAdapter adapter, int pageSize, int maxPages, okhttp3.OkHttpClient plainHttp, long maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
        this.adapter = adapter;
        this.pageSize = pageSize;
        this.maxPages = maxPages;
        this.plainHttp = plainHttp;
    }

    /** The v1.0 root, e.g. https://graph.microsoft.com/v1.0. */
    public String v1Root() {
        return stripSlash(adapter.getBaseUrl());
    }

    /** The beta root next to the v1.0 root. */
    public String betaRoot() {
        String root = v1Root();
        return root.endsWith("/v1.0") ? root.substring(0, root.length() - 5) + "/beta" : root + "/../beta";
    }

    public int pageSize() {
        return pageSize;
    }

    /** GET of a single object below the v1.0 root; {@code path} may carry a query string. */
    public JsonNode get(String path) throws GraphException {
        return getUrl(v1Root() + path);
    }

    /** GET of a single object below the beta root (opt-in collectors only). */
    public JsonNode getBeta(String path) throws GraphException {
        return getUrl(betaRoot() + path);
    }

    public JsonNode getUrl(String url) throws GraphException {
        return readObject(HttpMethod.GET, url, null);
    }

    /** POST of a JSON body (report actions); the answer is read as one JSON object. */
    public JsonNode post(String url, String jsonBody) throws GraphException {
        return readObject(HttpMethod.POST, url, jsonBody);
    }

    private JsonNode readObject(HttpMethod method, String url, String jsonBody) throws GraphException {
        String endpoint = EndpointTemplates.of(URI.create(url).getRawPath());
        try (InputStream in = send(method, url, jsonBody, endpoint)) {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || !node.isObject()) {
                throw new GraphException(
                        endpoint, 0, "", "Graph " + endpoint + ": response is not a JSON object", null);
            }
            return node;
        } catch (IOException e) {
            throw readFailure(endpoint, e);
        }
    }

    /** All items of a (small) v1.0 collection, following every nextLink. */
    public List<JsonNode> list(String path) throws GraphException {
        return listUrl(v1Root() + path);
    }

    /** All items of a (small) beta collection, following every nextLink. */
    public List<JsonNode> listBeta(String path) throws GraphException {
        return listUrl(betaRoot() + path);
    }

    public List<JsonNode> listUrl(String url) throws GraphException {
        List<JsonNode> items = new ArrayList<>();
        forEachUrl(url, p -> items.add(MAPPER.readTree(p)));
        return items;
    }

    /** Streams every item of a v1.0 collection through {@code reader}, page after page; returns the item count. */
    public long forEach(String path, ItemReader reader) throws GraphException {
        return forEachUrl(v1Root() + path, reader);
    }

    public long forEachUrl(String firstUrl, ItemReader reader) throws GraphException {
        String endpoint = EndpointTemplates.of(URI.create(firstUrl).getRawPath());
        Set<String> seen = new HashSet<>();
        String url = firstUrl;
        long items = 0;
        int pages = 0;
        while (url != null) {
            if (!seen.add(url)) {
                throw new GraphException(
                        endpoint,
                        0,
                        "",
                        "Graph " + endpoint + ": @odata.nextLink loop (page " + (pages + 1)
                                + " repeats an earlier page)",
                        null);
            }
            if (++pages > maxPages) {
                throw new GraphException(
                        endpoint,
                        0,
                        "",
                        "Graph " + endpoint + ": more than " + maxPages
                                + " pages (intune.graph.max-pages); treating it as a nextLink loop",
                        null);
            }
            PageResult page = readPage(url, endpoint, reader);
            items += page.items;
            url = page.nextLink;
        }
        return items;
    }

    private record PageResult(long items, String nextLink) {}

    private PageResult readPage(String url, String endpoint, ItemReader reader) throws GraphException {
        try (InputStream in = send(HttpMethod.GET, url, null, endpoint);
                JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new GraphException(
                        endpoint, 0, "", "Graph " + endpoint + ": response is not a JSON object", null);
            }
            long items = 0;
            String next = null;
            boolean sawValue = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                if ("value".equals(field) && token == JsonToken.START_ARRAY) {
                    sawValue = true;
                    while ((token = p.nextToken()) == JsonToken.START_OBJECT) {
                        reader.read(p);
                        // ObjectMapper.readTree clears the current token after reading; both mean "item consumed".
                        if (p.currentToken() != JsonToken.END_OBJECT && p.currentToken() != null) {
                            throw new IllegalStateException("item reader did not consume the whole item");
                        }
                        items++;
                    }
                    if (token != JsonToken.END_ARRAY) {
                        throw new GraphException(
                                endpoint, 0, "", "Graph " + endpoint + ": 'value' holds a non-object item", null);
                    }
                } else if ("@odata.nextLink".equals(field)) {
                    if (token != JsonToken.VALUE_STRING) {
                        // Treating it as "no more pages" would silently drop the rest of the collection.
                        throw new GraphException(
                                endpoint,
                                0,
                                "",
                                "Graph " + endpoint + ": @odata.nextLink is " + token
                                        + ", not a string; the rest of the collection cannot be read",
                                null);
                    }
                    next = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new GraphException(
                        endpoint, 0, "", "Graph " + endpoint + ": malformed JSON (object not closed)", null);
            }
            if (!sawValue) {
                throw new GraphException(
                        endpoint, 0, "", "Graph " + endpoint + ": collection response without a 'value' array", null);
            }
            return new PageResult(items, next);
        } catch (IOException e) {
            throw readFailure(endpoint, e);
        }
    }

    private InputStream send(HttpMethod method, String url, String jsonBody, String endpoint) throws GraphException {
        RequestInformation request = new RequestInformation();
        request.httpMethod = method;
        request.setUri(URI.create(url));
        request.headers.add("Accept", "application/json");
        if (jsonBody != null) {
            // A ByteArrayInputStream is markable, so the RetryHandler can replay the body after a 429.
            request.setStreamContent(
                    new ByteArrayInputStream(jsonBody.getBytes(StandardCharsets.UTF_8)), "application/json");
        }
        HashMap<String, ParsableFactory<? extends Parsable>> errors = new HashMap<>();
        errors.put("XXX", GraphError::create);
        try {
            InputStream in = adapter.sendPrimitive(request, errors, InputStream.class);
            if (in == null) {
                throw new GraphException(endpoint, 0, "", "Graph " + endpoint + ": empty response body", null);
            }
            return new BoundedInputStream(in, maxResponseBytes);
        } catch (GraphError e) {
            String message = e.detail();
            int status = e.getResponseStatusCode();
            throw new GraphException(
                    endpoint,
                    status,
                    e.code(),
                    GraphException.describe(endpoint, status, e.code(), message),
                    message,
                    e.requestId(),
                    e);
        } catch (ApiException e) {
            int status = e.getResponseStatusCode();
            throw new GraphException(endpoint, status, "", GraphException.describe(endpoint, status, "", null), e);
        } catch (RuntimeException e) {
            Throwable root = e;
            boolean signIn = false;
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                String type = t.getClass().getName();
                signIn |= type.startsWith("com.azure.identity.")
                        || type.startsWith("com.microsoft.aad.msal4j.")
                        || type.equals("com.azure.core.exception.ClientAuthenticationException");
                root = t;
            }
            String cause = root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
            throw new GraphException(
                    endpoint,
                    0,
                    "",
                    "Graph " + endpoint
                            + (signIn
                                    ? ": sign-in to Microsoft Entra ID failed (check tenant id, client id, the secret or certificate, and the cloud): "
                                    : ": request failed: ")
                            + cause,
                    e);
        }
    }

    /**
     * GET of a URL outside Graph, such as the SAS URL of a report export: a plain HTTP request that never carries
     * the Graph bearer token. The caller closes the stream.
     */
    public InputStream download(String url) throws GraphException {
        String endpoint = EndpointTemplates.of(URI.create(url).getRawPath());
        if (plainHttp == null) {
            throw new GraphException(endpoint, 0, "", "download of " + endpoint + ": no HTTP client configured", null);
        }
        okhttp3.Response response = null;
        try {
            response = plainHttp
                    .newCall(new okhttp3.Request.Builder().url(url).get().build())
                    .execute();
            if (!response.isSuccessful() || response.body() == null) {
                int code = response.code();
                response.close();
                throw new GraphException(
                        endpoint,
                        code,
                        "",
                        "download of " + endpoint + ": HTTP " + code
                                + (code == 403 ? " (the export's SAS URL may have expired)" : ""),
                        null);
            }
            return response.body().byteStream();
        } catch (IOException | RuntimeException e) {
            if (response != null) {
                response.close();
            }
            throw new GraphException(endpoint, 0, "", "download of " + endpoint + " failed: " + e, e);
        }
    }

    /** A response that could not be read: over the size limit, not JSON, or cut off. */
    private GraphException readFailure(String endpoint, IOException e) {
        if (e instanceof BoundedInputStream.TooLargeException) {
            return tooLarge(endpoint);
        }
        if (e instanceof JsonProcessingException json) {
            return malformed(endpoint, json);
        }
        return new GraphException(
                endpoint, 0, "", "Graph " + endpoint + ": reading the response failed: " + e.getMessage(), e);
    }

    private GraphException tooLarge(String endpoint) {
        return new GraphException(
                endpoint,
                0,
                "",
                "Graph " + endpoint + ": response larger than " + maxResponseBytes
                        + " bytes (intune.graph.max-response-size); not read further",
                null);
    }

    private static GraphException malformed(String endpoint, JsonProcessingException e) {
        return new GraphException(
                endpoint, 0, "", "Graph " + endpoint + ": malformed JSON in response: " + e.getOriginalMessage(), e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Reads the scalar fields of one item into {@code out} (cleared first), skipping nested objects and arrays;
     * numbers and booleans come as their text. The parser must stand on the item's START_OBJECT.
     */
    public static void readFlat(JsonParser p, Map<String, String> out) throws IOException {
        out.clear();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (token != JsonToken.VALUE_NULL) {
                out.put(field, p.getText());
            }
        }
    }

    /** Shared mapper for tests and small helpers. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
