package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.ConventionContent.action;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.Identity.CIL;
import static fr.actionlogement.territorial.systemtests.support.Identity.COLLECTIVITE_LYON;
import static fr.actionlogement.territorial.systemtests.support.Identity.DELEGUE_ARA;
import static fr.actionlogement.territorial.systemtests.support.Identity.OBSERVATEUR;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import fr.actionlogement.territorial.systemtests.support.Awaits;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.Reply;
import fr.actionlogement.territorial.systemtests.support.Stepwise;

/**
 * Issue 15 point 8 through the gateway: the convention document. A world of its own (a CIL of a fresh SIREN present on
 * Clermont Auvergne Métropole, a campaign and a template of fresh ids; the délégué and conférence régionale of région
 * 84 that {@link LyonWorld} ensures), a charter taken to signature then amended; each step's PDF is downloaded and
 * read back with PDFBox: the document template's headings, the negotiated sections, the signatories and the
 * objectives are in it, its bytes hash to the announced SHA-256, the earlier version stays downloadable, and a caller
 * who may not read the convention gets 404.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.CONVENTION_DOCUMENT)
@DisplayName("Journey: the convention document, generated at signature and amendment, downloaded and read back")
class ConventionDocumentJourneyTest {

    private static final String CONVENTIONS = "/api/conventions";
    private static final String PDF = "application/pdf";
    /** Clermont Auvergne Métropole in the official reference (EPCI nature METRO, région 84). */
    private static final String CLERMONT_SIREN = "246300701";
    private static final String CLERMONT = "EPCI:" + CLERMONT_SIREN;

    private GatewayApi api;
    private long started;
    private String cil;
    private String conventionId;
    private Map<String, Object> content;
    private String signedSha;

    @BeforeAll
    void start(GatewayApi gateway) {
        api = gateway;
        started = System.nanoTime();
        Awaits.journey("convention document");
    }

    @AfterAll
    void figures() {
        System.out.printf("[journey] convention document: %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    @Test
    @Order(1)
    @DisplayName("R-34 R-01 a CIL present on Clermont Auvergne Métropole; the délégué proposes the charter in a campaign of its own")
    void world() {
        LyonWorld.ensure(api);
        cil = LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post("/api/territories/cils", json(Map.of("id", cil, "name",
                "CIL Auvergne " + cil))).expect(201);
        api.as(UESL).idempotencyKey(newKey()).post("/api/territories/cils/" + cil + "/presences", json(Map.of(
                "territoryId", CLERMONT, "since", "2010-01-01", "reason", "Collecte auprès des entreprises du Puy-de-Dôme")))
                .expect(201);

        String campaignId = "document-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/campaigns", json(Map.of("campaignId", campaignId,
                "name", "Chartes 2011 (documents)", "year", 2011, "cap", 5, "evaluationYear", 2012))).expect(201);
        String templateId = "charte-document-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/templates", json(Map.of("templateId", templateId,
                "name", "Charte territoriale type", "kind", "TERRITORIALE", "sections", canvas(),
                "suggestedDevices", List.of("CONSTRUCTION_PLUS_PLAI_PLS")))).expect(201);

        String key = newKey();
        String body = json(Map.of("campaignId", campaignId, "territoryId", CLERMONT, "kind", "TERRITORIALE",
                "templateId", templateId, "templateVersion", 1, "title", "Charte territoriale Clermont Auvergne Métropole"));
        Reply proposed = Awaits.until("conventions-service knows Clermont Auvergne Métropole (proposal accepted)",
                Awaits.FIRST_READ_MODEL, () -> api.as(DELEGUE_ARA).idempotencyKey(key).post(CONVENTIONS, body),
                r -> r.status() == 201);
        conventionId = proposed.at("/conventionId");
        assertThat(proposed.at("/territoryName")).isEqualTo("Clermont Auvergne Métropole");
    }

    @Test
    @Order(2)
    @DisplayName("R-14 negotiated, submitted then signed: a document at each step, none before")
    void signed() {
        Awaits.until("conventions-service knows the conférence régionale of région 84", Awaits.EVENT,
                () -> transition("negotiation", Map.of("reason", "Concertation en conférence régionale")),
                r -> r.status() != 422).expect(200);
        content = content(100);
        Awaits.until("conventions-service knows the CIL present on Clermont (R-07 accepts it)", Awaits.EVENT,
                () -> revise(content), r -> r.status() != 422).expect(200);
        assertThat(api.as(UESL).get(CONVENTIONS + "/" + conventionId + "/documents").expect(200).json()).isEmpty();
        api.as(UESL).accept(PDF).get(CONVENTIONS + "/" + conventionId + "/documents/latest").expect(404);

        transition("submission", Map.of("reason", "Contenu complet")).expect(200);
        transition("signature", Map.of("signedOn", "2011-09-15", "reason", "Signature à Clermont-Ferrand")).expect(200);
        JsonNode docs = api.as(UESL).get(CONVENTIONS + "/" + conventionId + "/documents").expect(200).json();
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).path("stage").asText()).isEqualTo("SUBMITTED_FOR_SIGNATURE");
        assertThat(docs.get(1).path("stage").asText()).isEqualTo("SIGNED");
        signedSha = docs.get(1).path("sha256").asText();
    }

    @Test
    @Order(3)
    @DisplayName("R-05 R-06 R-07 the délégué downloads the signed PDF: template headings, sections, signatories and objectives read back; the hash is the announced one")
    void signedDocumentReadBack() throws Exception {
        JsonNode template = api.as(DELEGUE_ARA).get(CONVENTIONS + "/document-templates/TERRITORIALE").expect(200).json();
        Reply r = api.as(DELEGUE_ARA).accept(PDF).get(CONVENTIONS + "/" + conventionId + "/documents/latest").expect(200);
        assertThat(r.header("Content-Type").orElseThrow()).startsWith(PDF);
        assertThat(sha256(r.body())).isEqualTo(signedSha);
        assertThat(r.etag()).isEqualTo("\"" + signedSha + "\"");
        assertThat(r.header("Repr-Digest").orElseThrow()).isEqualTo("sha-256=:"
                + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(signedSha)) + ":");

        String text = text(r.body());
        assertThat(text).contains(template.path("heading").asText(), "Charte territoriale Clermont Auvergne Métropole",
                "Territoire : Clermont Auvergne Métropole (" + CLERMONT + ")", "Convention signée le 15/09/2011");
        template.path("headings").forEach(h -> {
            if (!h.asText().equals(template.path("headings").path("commitments").asText())) {
                assertThat(text).as("heading").contains(h.asText());
            }
        });
        for (Map<String, Object> section : canvas()) {
            assertThat(text).contains(template.path("sectionTitles").path((String) section.get("code")).asText(),
                    (String) section.get("text"));
        }
        assertThat(text).contains("CIL Auvergne " + cil + " ; CIL (" + cil + ")",
                "Clermont Auvergne Métropole ; Collectivité (" + CLERMONT_SIREN + ")",
                "Pour CIL Auvergne " + cil + " (CIL)", "Pour Clermont Auvergne Métropole (Collectivité)",
                "CONSTRUCTION_NEUVE, jeunes salariés, 2012 : objectif 100",
                "ACCES_PARC_PRIVE, salariés en mobilité, 2013 : objectif 40", "PLUS : 19500 € par logement réservé");
    }

    @Test
    @Order(4)
    @DisplayName("R-14 an amendment adds a document for version 2; the signed one stays downloadable as it was")
    void amendment() throws Exception {
        JsonNode current = api.as(UESL).get(CONVENTIONS + "/" + conventionId).expect(200).json();
        Map<String, Object> amended = content(130);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> objectives = (List<Map<String, Object>>) amended.get("objectives");
        for (int i = 0; i < objectives.size(); i++) {
            objectives.get(i).put("objectiveId", current.path("content").path("objectives").get(i).path("objectiveId")
                    .asText());
        }
        String etag = api.as(UESL).get(CONVENTIONS + "/" + conventionId).expect(200).etag();
        api.as(UESL).ifMatch(etag).post(CONVENTIONS + "/" + conventionId + "/amendments", json(Map.of("reason",
                "Avenant n°1 : objectif de construction relevé", "content", amended))).expect(200);

        JsonNode docs = api.as(UESL).get(CONVENTIONS + "/" + conventionId + "/documents").expect(200).json();
        assertThat(docs).hasSize(3);
        assertThat(docs.get(2).path("stage").asText()).isEqualTo("AMENDED");
        assertThat(docs.get(2).path("conventionVersion").asInt()).isEqualTo(2);
        Reply latest = api.as(UESL).accept(PDF).get(docs.get(2).path("href").asText()).expect(200);
        assertThat(sha256(latest.body())).isEqualTo(docs.get(2).path("sha256").asText()).isNotEqualTo(signedSha);
        assertThat(text(latest.body())).contains("Avenant : version 2", "Avenant n°1 : objectif de construction relevé",
                "CONSTRUCTION_NEUVE, jeunes salariés, 2012 : objectif 130");

        Reply signed = api.as(UESL).accept(PDF).get(CONVENTIONS + "/" + conventionId + "/documents/2").expect(200);
        assertThat(sha256(signed.body())).isEqualTo(signedSha);
        assertThat(text(signed.body())).contains("objectif 100").doesNotContain("objectif 130");
    }

    @Test
    @Order(5)
    @DisplayName("a caller who may not read the convention gets 404 for its documents; a role without access 403")
    void othersCannotRead() {
        for (var stranger : List.of(CIL, COLLECTIVITE_LYON)) {
            api.as(stranger).get(CONVENTIONS + "/" + conventionId + "/documents").expectProblem(404, null);
            api.as(stranger).accept(PDF).get(CONVENTIONS + "/" + conventionId + "/documents/2").expectProblem(404, null);
        }
        api.as(OBSERVATEUR).accept(PDF).get(CONVENTIONS + "/" + conventionId + "/documents/2").expectProblem(403, null);
        api.anonymous().accept(PDF).get(CONVENTIONS + "/" + conventionId + "/documents/2").expect(401);
    }

    private Reply transition(String step, Map<String, Object> body) {
        String etag = api.as(UESL).get(CONVENTIONS + "/" + conventionId).expect(200).etag();
        return api.as(UESL).ifMatch(etag).post(CONVENTIONS + "/" + conventionId + "/" + step, json(body));
    }

    private Reply revise(Map<String, Object> c) {
        String etag = api.as(UESL).get(CONVENTIONS + "/" + conventionId).expect(200).etag();
        return api.as(UESL).ifMatch(etag).put(CONVENTIONS + "/" + conventionId + "/content", json(c));
    }

    private static List<Map<String, Object>> canvas() {
        return List.of(
                Map.of("code", "CIL_INTERVENTIONS_OFFRE", "title", "a", "text",
                        "Les CIL financent des PLUS/PLAI et des petits logements pour les jeunes salariés du bassin clermontois"),
                Map.of("code", "VALORISATION_EMPLOI_MOBILITE", "title", "b", "text",
                        "Logements mobilisés pour les salariés en mobilité professionnelle (Michelin, CHU)"),
                Map.of("code", "ENGAGEMENTS_COLLECTIVITE_OFFRE", "title", "c", "text",
                        "La Métropole réserve du foncier aux résidences pour jeunes actifs"),
                Map.of("code", "ENGAGEMENTS_COLLECTIVITE_INSTANCES", "title", "d", "text",
                        "Action Logement siège au comité de pilotage du PLH métropolitain"));
    }

    private Map<String, Object> content(long constructionTarget) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("title", "Charte territoriale Clermont Auvergne Métropole");
        c.put("periodStartYear", 2011);
        c.put("periodEndYear", 2013);
        c.put("sections", canvas());
        c.put("devices", List.of("CONSTRUCTION_PLUS_PLAI_PLS", "PETITS_LOGEMENTS_JEUNES"));
        c.put("objectives", new ArrayList<>(List.of(
                objective("CONSTRUCTION_NEUVE", "JEUNES_SALARIES", 2012, constructionTarget),
                objective("ACCES_PARC_PRIVE", "SALARIES_EN_MOBILITE", 2013, 40))));
        c.put("signatories", List.of(
                Map.of("partyType", "CIL", "partyId", cil, "name", "CIL Auvergne " + cil, "presentOnly", false),
                Map.of("partyType", "COLLECTIVITE", "partyId", CLERMONT_SIREN, "name", "Clermont Auvergne Métropole",
                        "presentOnly", false)));
        c.put("commitments", List.of());
        c.put("reservationCosts", List.of(Map.of("category", "PLUS", "unitCostEuros", 19500)));
        c.put("communicationPlan", Map.of("needsStudies", "Restitution annuelle des études de besoins",
                "financingPublicity", "Panneaux de chantier mentionnant Action Logement"));
        c.put("partners", List.of(Map.of("partyType", "AUTRE", "partyId", "CLLAJ", "name", "CLLAJ de Clermont",
                "role", "Logement des jeunes")));
        c.put("actions", List.of(
                action("CIL:" + cil, "CONSTRUCTION_PLUS_PLAI_PLS"),
                action("COLLECTIVITE:" + CLERMONT_SIREN, "MISE_A_DISPOSITION_FONCIER"),
                action("AUTRE:CLLAJ", "INTERMEDIATION_LOCATIVE")));
        c.put("ueslSignatureRequested", false);
        return c;
    }

    private static Map<String, Object> objective(String indicator, String pub, int year, long target) {
        return new LinkedHashMap<>(Map.of("indicator", indicator, "publicPrioritaire", pub, "year", year,
                "target", target));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The PDF's text, page by page without the two footer lines of each page, white space collapsed. */
    private static String text(byte[] pdf) throws Exception {
        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        StringBuilder all = new StringBuilder();
        try (PDDocument d = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            for (int page = 1; page <= d.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                List<String> lines = stripper.getText(d).lines().filter(l -> !l.isBlank()).toList();
                assertThat(lines.getLast()).isEqualTo("Page " + page + " / " + d.getNumberOfPages());
                all.append(String.join(" ", lines.subList(0, lines.size() - 2))).append(' ');
            }
        }
        return all.toString().replaceAll("\\s+", " ");
    }
}
