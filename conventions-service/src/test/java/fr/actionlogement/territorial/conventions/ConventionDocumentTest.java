package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 15 point 8: the convention document. Each PDF is read back with PDFBox's text extraction: the template's
 * heading and section titles, every negotiated section, the signatories and the objectives are found in it; the
 * bytes served hash to the SHA-256 stored and announced; an amendment adds a document and keeps the earlier ones; a
 * caller who may not read the convention gets 404.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class ConventionDocumentTest extends ConventionsTestBase {

    static final String PDF = "application/pdf";

    /** A content whose texts carry what a French convention writes: accents, œ, the euro sign, and a glyph no font has. */
    Map<String, Object> frenchContent(World w) {
        Map<String, Object> c = validContent(w);
        c.put("title", "Charte territoriale de la Métropole " + w.epciSiren());
        List<Map<String, Object>> sections = list(c, "sections");
        sections.get(0).put("text", "Les CIL financent 120 PLUS/PLAI pour les jeunes salariés ; cœur de métropole,"
                + " 5 000 € par opération.");
        sections.get(1).put("text", "Mobilité professionnelle : 40 logements mobilisés → employeurs du bassin 東.");
        list(c, "signatories").get(0).put("name", "CIL Présent Île-de-France " + w.cilPresent());
        list(c, "signatories").get(1).put("name", "Métropole " + w.epciSiren());
        List<Map<String, Object>> objectives = list(c, "objectives");
        objectives.add(objective("ACCES_PARC_PRIVE", "SALARIES_EN_MOBILITE", 2013, 40));
        return c;
    }

    @Test
    @DisplayName("R-05/R-14 the document is generated at submission and at signature; its sections, signatories and objectives read back; its hash is the stored one")
    void generatedAtSubmissionAndSignatureAndReadBack() throws Exception {
        World w = world();
        Map<String, Object> content = frenchContent(w);
        String id = negotiated(w, content);
        as(uesl).get(BASE + "/" + id + "/documents").then().statusCode(200).body("size()", is(0));
        as(uesl).accept(PDF).get(BASE + "/" + id + "/documents/latest").then().statusCode(404)
                .contentType("application/problem+json");

        transition(id, "submission", Map.of()).then().statusCode(200);
        JsonPath submitted = as(uesl).get(BASE + "/" + id + "/documents").then().statusCode(200).extract().jsonPath();
        assertThat(submitted.getList("")).hasSize(1);
        assertThat(submitted.getString("[0].stage")).isEqualTo("SUBMITTED_FOR_SIGNATURE");
        assertThat(submitted.getString("[0].status")).isEqualTo("READY_FOR_SIGNATURE");
        String draftText = text(download(uesl, id, 1));
        assertThat(draftText).contains("Projet soumis à la signature des parties").doesNotContain("Signée le");

        transition(id, "signature", Map.of("signedOn", "2011-06-30")).then().statusCode(200);
        JsonPath docs = as(uesl).get(BASE + "/" + id + "/documents").then().statusCode(200).extract().jsonPath();
        assertThat(docs.getList("")).hasSize(2);
        assertThat(docs.getString("[1].stage")).isEqualTo("SIGNED");
        assertThat(docs.getInt("[1].conventionVersion")).isEqualTo(1);
        assertThat(docs.getString("[1].href")).isEqualTo(BASE + "/" + id + "/documents/2");

        Response r = as(uesl).accept(PDF).get(BASE + "/" + id + "/documents/latest");
        r.then().statusCode(200).contentType(PDF);
        byte[] pdf = r.asByteArray();
        String sha = sha256(pdf);
        assertThat(sha).isEqualTo(docs.getString("[1].sha256"));
        assertThat(text("SELECT sha256 FROM convention_document WHERE convention_id = '" + id + "' AND number = 2"))
                .isEqualTo(sha);
        assertThat(text("SELECT encode(sha256(content), 'hex') FROM convention_document WHERE convention_id = '" + id
                + "' AND number = 2")).as("the stored bytes hash to the stored hash").isEqualTo(sha);
        assertThat(r.header("ETag")).isEqualTo("\"" + sha + "\"");
        assertThat(r.header("Repr-Digest"))
                .isEqualTo("sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)) + ":");
        assertThat(r.header("Content-Disposition")).contains("convention-" + id + "-2.pdf");
        assertThat(docs.getLong("[1].sizeBytes")).isEqualTo(pdf.length);
        // the same document again: not modified
        as(uesl).accept(PDF).header("If-None-Match", "\"" + sha + "\"").get(BASE + "/" + id + "/documents/2").then()
                .statusCode(304);

        Map<String, Object> template = as(uesl).get(BASE + "/document-templates/TERRITORIALE").then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertThat(docs.getInt("[1].templateVersion")).isEqualTo(template.get("version"));
        String text = text(pdf);
        assertThat(text).contains((String) template.get("heading"), "Charte territoriale de la Métropole "
                + w.epciSiren(), "Convention signée le 30/06/2011", "Signée le 30/06/2011", "Préambule");
        @SuppressWarnings("unchecked")
        Map<String, String> headings = (Map<String, String>) template.get("headings");
        assertThat(text).contains("1. " + headings.get("parties"), headings.get("content"), headings.get("objectives"),
                headings.get("signatures"), headings.get("devices"), headings.get("actions"), headings.get("partners"),
                headings.get("reservationCosts"), headings.get("communication"));
        @SuppressWarnings("unchecked")
        Map<String, String> titles = (Map<String, String>) template.get("sectionTitles");
        for (Map<String, Object> section : list(content, "sections")) {
            assertThat(text).as("section " + section.get("code")).contains(titles.get(section.get("code")));
        }
        assertThat(text).contains("Les CIL financent 120 PLUS/PLAI pour les jeunes salariés ; cœur de métropole,"
                + " 5 000 € par opération.");
        // a glyph the font lacks is replaced, the rest of the text kept
        assertThat(text).contains("40 logements mobilisés -> employeurs du bassin ?.");
        assertThat(text).contains(list(content, "sections").get(2).get("text").toString(),
                list(content, "sections").get(3).get("text").toString());
        // the signatories, as parties and in the signature block
        assertThat(text).contains("CIL Présent Île-de-France " + w.cilPresent() + " ; CIL (" + w.cilPresent() + ")",
                "Métropole " + w.epciSiren() + " ; Collectivité (" + w.epciSiren() + ")",
                "Pour CIL Présent Île-de-France " + w.cilPresent() + " (CIL)",
                "Pour Métropole " + w.epciSiren() + " (Collectivité)");
        // the objectives
        assertThat(text).contains("CONSTRUCTION_NEUVE, jeunes salariés, 2012 : objectif 100",
                "ACCES_PARC_PRIVE, salariés en mobilité, 2013 : objectif 40");
        // the rest of the negotiated content
        assertThat(text).contains("PLUS : 20000 € par logement réservé", "CLLAJ (Partenaire) : Logement des jeunes",
                "Restitution annuelle des études de besoins", "Petits logements à loyers accessibles aux jeunes");
    }

    @Test
    @DisplayName("R-14 each amendment adds a document for the new version; the earlier documents stay downloadable as they were")
    void amendmentAddsADocument() throws Exception {
        World w = world();
        Map<String, Object> content = frenchContent(w);
        String id = signed(w, content);
        String objectiveId = as(uesl).get(BASE + "/" + id).then().extract().path("content.objectives[0].objectiveId");
        byte[] signedPdf = download(uesl, id, 2);

        Map<String, Object> amended = new LinkedHashMap<>(content);
        List<Map<String, Object>> objectives = new ArrayList<>();
        for (Map<String, Object> o : list(content, "objectives")) {
            objectives.add(new LinkedHashMap<>(o));
        }
        objectives.get(0).put("objectiveId", objectiveId);
        objectives.get(0).put("target", 150);
        amended.put("objectives", objectives);
        as(uesl).header("If-Match", etag(id)).body(Map.of("reason", "Avenant n°1 : objectifs 2012 relevés",
                "content", amended)).post(BASE + "/" + id + "/amendments").then().statusCode(200)
                .body("version", is(2));

        JsonPath docs = as(uesl).get(BASE + "/" + id + "/documents").then().statusCode(200).extract().jsonPath();
        assertThat(docs.getList("")).hasSize(3);
        assertThat(docs.getString("[2].stage")).isEqualTo("AMENDED");
        assertThat(docs.getInt("[2].conventionVersion")).isEqualTo(2);
        assertThat(docs.getString("[2].reason")).isEqualTo("Avenant n°1 : objectifs 2012 relevés");
        assertThat(docs.getString("[2].sha256")).isNotEqualTo(docs.getString("[1].sha256"));

        String amendedText = text(download(uesl, id, 3));
        assertThat(amendedText).contains("Avenant : version 2 de la convention signée le 30/06/2011",
                "Motif : Avenant n°1 : objectifs 2012 relevés", "CONSTRUCTION_NEUVE, jeunes salariés, 2012 : objectif 150");
        byte[] again = download(uesl, id, 2);
        assertThat(again).as("the signed document is kept as it was").isEqualTo(signedPdf);
        assertThat(sha256(again)).isEqualTo(docs.getString("[1].sha256"));
        assertThat(text(again)).contains("objectif 100").doesNotContain("objectif 150");
    }

    @Test
    @DisplayName("the documents are read with the convention's rights: its parties and the délégué of its region; 404 for others")
    void readWithTheConventionsRights() throws Exception {
        World w = world();
        String id = signed(w, frenchContent(w));
        for (String party : List.of(TestTokens.cil(w.cilPresent()), TestTokens.collectivite(w.epciSiren()),
                w.delegueToken(), TestTokens.admin())) {
            as(party).get(BASE + "/" + id + "/documents").then().statusCode(200).body("size()", is(2));
            assertThat(text(download(party, id, 2))).contains("Métropole " + w.epciSiren());
        }
        for (String stranger : List.of(TestTokens.cil(w.cilAbsent()), TestTokens.collectivite(digits(9)),
                TestTokens.delegue("0" + digits(3)))) {
            as(stranger).get(BASE + "/" + id + "/documents").then().statusCode(404)
                    .contentType("application/problem+json");
            as(stranger).accept(PDF).get(BASE + "/" + id + "/documents/latest").then().statusCode(404)
                    .contentType("application/problem+json");
            as(stranger).accept(PDF).get(BASE + "/" + id + "/documents/1").then().statusCode(404)
                    .contentType("application/problem+json");
        }
        as(TestTokens.observateur()).accept(PDF).get(BASE + "/" + id + "/documents/1").then().statusCode(403);
        io.restassured.RestAssured.given().accept(PDF).get(BASE + "/" + id + "/documents/1").then().statusCode(401);
        as(uesl).accept(PDF).get(BASE + "/" + id + "/documents/9").then().statusCode(404)
                .contentType("application/problem+json");
        as(uesl).accept(PDF).get(BASE + "/" + id + "/documents/0").then().statusCode(400);
    }

    @Test
    @DisplayName("R-04 the UESL publishes a document template version with If-Match; others may not; the next documents use it, the earlier keep theirs")
    void ueslMaintainsTheDocumentTemplate() throws Exception {
        as(uesl).get(BASE + "/document-templates").then().statusCode(200).body("size()", is(2));
        as(TestTokens.delegue("9" + digits(4))).get(BASE + "/document-templates/CADRE_DE_TERRITOIRE").then().statusCode(200)
                .body("heading", is("Convention-cadre de territoire d'Action Logement"))
                .body("sectionTitles.CIL_INTERVENTIONS_OFFRE",
                        is("Interventions des CIL pour développer l'offre de logements"));

        World w = world();
        String id = negotiated(w, frenchContent(w));
        transition(id, "submission", Map.of()).then().statusCode(200);

        Response current = as(uesl).get(BASE + "/document-templates/TERRITORIALE");
        current.then().statusCode(200);
        String tag = current.header("ETag");
        int version = current.jsonPath().getInt("version");
        Map<String, Object> next = templateBody(current.jsonPath().getMap(""));
        String heading = "Charte territoriale d'Action Logement, édition " + digits(6);
        next.put("heading", heading);

        long audited = count("SELECT count(*) FROM audit_entry WHERE aggregate_type = 'DocumentTemplate'");
        as(uesl).body(next).post(BASE + "/document-templates/TERRITORIALE/versions").then().statusCode(428);
        as(uesl).header("If-Match", "\"999999\"").body(next).post(BASE + "/document-templates/TERRITORIALE/versions")
                .then().statusCode(412);
        io.restassured.RestAssured.given().contentType("application/json").body(next)
                .post(BASE + "/document-templates/TERRITORIALE/versions").then().statusCode(401);
        for (String other : List.of(w.delegueToken(), TestTokens.cil(w.cilPresent()),
                TestTokens.collectivite(w.epciSiren()), TestTokens.observateur())) {
            as(other).header("If-Match", tag).body(next).post(BASE + "/document-templates/TERRITORIALE/versions")
                    .then().statusCode(403);
        }
        Map<String, Object> invalid = new LinkedHashMap<>(next);
        invalid.remove("headings");
        as(uesl).header("If-Match", tag).body(invalid).post(BASE + "/document-templates/TERRITORIALE/versions").then()
                .statusCode(400).contentType("application/problem+json");
        as(uesl).get(BASE + "/document-templates/TERRITORIALE").then().body("version", is(version));
        assertThat(count("SELECT count(*) FROM audit_entry WHERE aggregate_type = 'DocumentTemplate'"))
                .isEqualTo(audited);

        Response published = as(uesl).header("If-Match", tag).body(next)
                .post(BASE + "/document-templates/TERRITORIALE/versions");
        published.then().statusCode(201).body("version", is(version + 1)).body("heading", is(heading));
        assertThat(published.header("Location")).endsWith("/document-templates/TERRITORIALE/versions/" + (version + 1));
        assertThat(published.header("ETag")).isNotEqualTo(tag);
        assertThat(count("SELECT count(*) FROM audit_entry WHERE aggregate_type = 'DocumentTemplate'"))
                .isEqualTo(audited + 1);
        as(uesl).get(BASE + "/document-templates/TERRITORIALE/versions/" + version).then().statusCode(200)
                .body("version", is(version));

        transition(id, "signature", Map.of("signedOn", "2011-06-30")).then().statusCode(200);
        JsonPath docs = as(uesl).get(BASE + "/" + id + "/documents").then().extract().jsonPath();
        assertThat(docs.getInt("[0].templateVersion")).isEqualTo(version);
        assertThat(docs.getInt("[1].templateVersion")).isEqualTo(version + 1);
        assertThat(text(download(uesl, id, 2))).contains(heading);
        assertThat(text(download(uesl, id, 1))).doesNotContain(heading);

        // an admin may publish too
        String latest = as(uesl).get(BASE + "/document-templates/TERRITORIALE").then().extract().header("ETag");
        as(TestTokens.admin()).header("If-Match", latest).body(next)
                .post(BASE + "/document-templates/TERRITORIALE/versions").then().statusCode(201)
                .body("version", is(version + 2));
        as(uesl).get(BASE + "/document-templates/TERRITORIALE/versions").then().statusCode(200)
                .body("size()", is(version + 2));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> templateBody(Map<String, Object> view) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (String key : List.of("heading", "reference", "preamble", "headings", "sectionTitles", "closing")) {
            body.put(key, view.get(key));
        }
        return body;
    }

    byte[] download(String token, String id, int number) {
        Response r = as(token).accept(PDF).get(BASE + "/" + id + "/documents/" + number);
        r.then().statusCode(200).contentType(PDF);
        return r.asByteArray();
    }

    /**
     * The PDF's text as PDFBox extracts it, page by page without each page's two footer lines (so a paragraph running
     * over a page break reads whole), each run of white space as one space.
     */
    static String text(byte[] pdf) throws Exception {
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        StringBuilder all = new StringBuilder();
        try (PDDocument d = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            for (int page = 1; page <= d.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                List<String> lines = new ArrayList<>(stripper.getText(d).lines().filter(l -> !l.isBlank()).toList());
                assertThat(lines.getLast()).isEqualTo("Page " + page + " / " + d.getNumberOfPages());
                all.append(String.join(" ", lines.subList(0, lines.size() - 2))).append(' ');
            }
        }
        return all.toString().replaceAll("\\s+", " ");
    }

    String text(String sql) {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
