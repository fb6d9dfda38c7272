package fr.actionlogement.territorial.gateway.openapi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The gateway's {@code /openapi/merged}, written at build time from the documents the services' builds store
 * ({@code <service>/target/openapi/openapi.json}) with the same code the running gateway uses
 * ({@link OpenApiDocuments#forGateway} then {@link OpenApiDocuments#merge}, services in the same alphabetical order),
 * so a client can be generated from it in the build. Run by the gateway's build (exec-maven-plugin, see pom.xml); the
 * system tests check that the running gateway serves the same document.
 *
 * <pre>
 * MergedDocumentWriter target/openapi/merged.json territories=../territories-service/target/openapi/openapi.json ...
 * </pre>
 */
public final class MergedDocumentWriter {

    /** Keycloak as seen by Swagger UI in the default configuration; only the login URLs of the document use it. */
    static final String DEFAULT_KEYCLOAK = "http://localhost:8180";
    static final String DEFAULT_REALM = "action-logement";

    private MergedDocumentWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: MergedDocumentWriter <output> <context>=<document>...");
        }
        ObjectMapper json = new ObjectMapper();
        OpenApiDocuments documents = new OpenApiDocuments(DEFAULT_KEYCLOAK, DEFAULT_REALM, json);
        Map<String, JsonNode> byService = new TreeMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            if (pair.length != 2 || !Files.isRegularFile(Path.of(pair[1]))) {
                throw new IllegalArgumentException("no document " + args[i] + " (build the services first)");
            }
            byService.put(pair[0], documents.forGateway(pair[0], json.readTree(Path.of(pair[1]).toFile())));
        }
        Path output = Path.of(args[0]);
        Files.createDirectories(output.toAbsolutePath().getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(output.toFile(), documents.merge(byService, List.of()));
        System.out.println("[openapi] merged " + byService.keySet() + " into " + output);
    }
}
