package fr.actionlogement.territorial.systemtests.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The Java client a partner generates from the services' documents ({@code clients/java}: OpenAPI Generator,
 * {@code java}/{@code native}), pointed at the gateway with a bearer token of one identity, as a partner's own code
 * would configure it. Nothing here calls the API by hand: the journeys that use it prove the documents say enough to
 * drive the system.
 */
public final class GeneratedClients {

    private final GatewayApi api;

    public GeneratedClients(GatewayApi api) {
        this.api = api;
    }

    public fr.actionlogement.territorial.client.territories.ApiClient territories(Identity who) {
        var client = new fr.actionlogement.territorial.client.territories.ApiClient();
        client.updateBaseUri(api.baseUrl());
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + api.token(who)));
        return client;
    }

    public fr.actionlogement.territorial.client.conventions.ApiClient conventions(Identity who) {
        var client = new fr.actionlogement.territorial.client.conventions.ApiClient();
        client.updateBaseUri(api.baseUrl());
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + api.token(who)));
        return client;
    }

    public fr.actionlogement.territorial.client.partnerships.ApiClient partnerships(Identity who) {
        var client = new fr.actionlogement.territorial.client.partnerships.ApiClient();
        client.updateBaseUri(api.baseUrl());
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + api.token(who)));
        return client;
    }

    public fr.actionlogement.territorial.client.observatory.ApiClient observatory(Identity who) {
        var client = new fr.actionlogement.territorial.client.observatory.ApiClient();
        client.updateBaseUri(api.baseUrl());
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + api.token(who)));
        return client;
    }

    /** The ETag of a response read with a generated {@code ...WithHttpInfo} method. */
    public static String etag(Map<String, List<String>> headers) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("ETag"))
                .map(e -> e.getValue().get(0)).findFirst()
                .orElseThrow(() -> new AssertionError("no ETag in " + headers.keySet()));
    }

    /** The outcome of one generated call: its value, or the status and body of the error the client raised. */
    public record Outcome<T>(int status, T value, String error) {
        public boolean ok() {
            return value != null;
        }

        @Override
        public String toString() {
            return ok() ? status + " " + value : status + " " + error;
        }
    }

    /** Runs a generated call, turning any of the four clients' {@code ApiException} into an outcome. */
    public static <T> Outcome<T> attempt(Callable<T> call) {
        try {
            return new Outcome<>(200, call.call(), null);
        } catch (fr.actionlogement.territorial.client.territories.ApiException e) {
            return new Outcome<>(e.getCode(), null, e.getResponseBody());
        } catch (fr.actionlogement.territorial.client.conventions.ApiException e) {
            return new Outcome<>(e.getCode(), null, e.getResponseBody());
        } catch (fr.actionlogement.territorial.client.partnerships.ApiException e) {
            return new Outcome<>(e.getCode(), null, e.getResponseBody());
        } catch (fr.actionlogement.territorial.client.observatory.ApiException e) {
            return new Outcome<>(e.getCode(), null, e.getResponseBody());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
