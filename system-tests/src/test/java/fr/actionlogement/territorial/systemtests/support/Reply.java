package fr.actionlogement.territorial.systemtests.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** One HTTP answer from the gateway, with the assertions and header readings every journey needs. */
public record Reply(String method, URI uri, int status, HttpHeaders headers, byte[] body) {

    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");

    /** Asserts the status, naming the request and showing the body when it differs (the problem says why). */
    public Reply expect(int expected) {
        assertThat(status).as("%s %s answered %d: %s", method, uri, status, text()).isEqualTo(expected);
        return this;
    }

    /** Asserts a refusal: the status, problem+json, and the business rule it names. */
    public Reply expectProblem(int expected, String rule) {
        expect(expected);
        assertThat(header("Content-Type")).as("%s %s content type", method, uri)
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        if (rule != null) {
            assertThat(json().path("rule").asText()).as("rule of %s", text()).isEqualTo(rule);
        }
        return this;
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        try {
            return GatewayApi.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(method + " " + uri + " did not answer JSON: " + text(), e);
        }
    }

    /** A text field by JSON pointer, e.g. {@code "/items/0/id"}. */
    public String at(String pointer) {
        JsonNode node = json().at(pointer);
        assertThat(node.isMissingNode()).as("%s in %s", pointer, text()).isFalse();
        return node.asText();
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public String etag() {
        return header("ETag").orElseThrow(() -> new AssertionError(method + " " + uri + " has no ETag"));
    }

    /** The {@code Location} header, resolved against the request URI as RFC 9110 says. */
    public URI location() {
        return uri.resolve(header("Location")
                .orElseThrow(() -> new AssertionError(method + " " + uri + " has no Location: " + text())));
    }

    /** The target of {@code Link: <...>; rel="next"}, if any. */
    public Optional<URI> next() {
        for (String link : headers.allValues("Link")) {
            Matcher m = NEXT.matcher(link);
            if (m.find()) {
                return Optional.of(uri.resolve(m.group(1)));
            }
        }
        return Optional.empty();
    }
}
