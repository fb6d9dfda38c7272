package fr.actionlogement.territorial.conventions.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import fr.actionlogement.territorial.conventions.domain.DocumentTemplate;
import fr.actionlogement.territorial.conventions.persistence.ConventionDocumentEntity;
import fr.actionlogement.territorial.conventions.persistence.DocumentTemplateVersionEntity;

/** Request and response bodies of the convention document and its templates (issue 15 point 8). */
public final class DocumentDtos {

    private DocumentDtos() {
    }

    @Schema(name = "ConventionDocument", description = "One generated convention document (PDF): at submission for"
            + " signature, at signature, at each amendment; download it at href", requiredProperties = {
                    "conventionId", "number", "conventionVersion", "stage", "status", "templateKind",
                    "templateVersion", "sha256", "sizeBytes", "generatedAt", "generatedBy", "href" })
    public record ConventionDocumentView(
            String conventionId,
            @Schema(description = "1, 2, ... in the order generated", examples = "2") int number,
            @Schema(description = "The convention's version it shows (1 at signature, n+1 after each amendment)") int conventionVersion,
            @Schema(description = "SUBMITTED_FOR_SIGNATURE, SIGNED or AMENDED", enumeration = {
                    "SUBMITTED_FOR_SIGNATURE",
                    "SIGNED", "AMENDED" }) String stage,
            @Schema(description = "The convention's status when generated", examples = "SIGNED") String status,
            ConventionKind templateKind,
            @Schema(description = "The document template version that laid it out") int templateVersion,
            @Schema(description = "The reason given with the transition (the amendment's motive)") String reason,
            @Schema(description = "SHA-256 of the PDF's bytes, hex; also the download's ETag", pattern = "^[0-9a-f]{64}$") String sha256,
            long sizeBytes,
            OffsetDateTime generatedAt,
            String generatedBy,
            @Schema(description = "Path of the PDF", examples = "/api/conventions/0b8a.../documents/2") String href){

        static ConventionDocumentView of(ConventionDocumentEntity e) {
            return new ConventionDocumentView(e.conventionId, e.number, e.conventionVersion, e.stage, e.status,
                    e.templateKind, e.templateVersion, e.reason, e.sha256, e.sizeBytes, e.generatedAt, e.generatedBy,
                    "/api/conventions/" + e.conventionId + "/documents/" + e.number);
        }
    }

    @Schema(name = "DocumentTemplateHeadings", description = "The headings of the document's parts, in the order shown")
    public record HeadingsRequest(
            @NotBlank @Size(max = 200) @Schema(examples = "Les parties") String parties,
            @NotBlank @Size(max = 200) @Schema(examples = "Contenu de la charte") String content,
            @NotBlank @Size(max = 200) @Schema(examples = "Dispositifs d'Action Logement mobilisés") String devices,
            @NotBlank @Size(max = 200) @Schema(examples = "Objectifs chiffrés") String objectives,
            @NotBlank @Size(max = 200) String actions,
            @NotBlank @Size(max = 200) String partners,
            @NotBlank @Size(max = 200) String commitments,
            @NotBlank @Size(max = 200) String reservationCosts,
            @NotBlank @Size(max = 200) String communication,
            @NotBlank @Size(max = 200) @Schema(examples = "Signatures") String signatures) {

        DocumentTemplate.Headings toDomain() {
            return new DocumentTemplate.Headings(parties.strip(), content.strip(), devices.strip(), objectives.strip(),
                    actions.strip(), partners.strip(), commitments.strip(), reservationCosts.strip(),
                    communication.strip(), signatures.strip());
        }
    }

    @Schema(name = "DocumentTemplateRequest", description = "The next version of a kind's document template: fixed"
            + " texts and headings; the negotiated content, signatories and objectives come from each convention")
    public record DocumentTemplateRequest(
            @NotBlank @Size(max = 200) @Schema(examples = "Charte territoriale d'Action Logement") String heading,
            @Size(max = 1000) @Schema(description = "A line under the title: the text the document is made under") String reference,
            @Size(max = 20) @Schema(description = "Fixed paragraphs before the parties") List<@NotBlank @Size(max = 4000) String> preamble,
            @NotNull @Valid HeadingsRequest headings,
            @Size(max = 50) @Schema(description = "Titles of the negotiated sections by code (the R-05 canvas codes, or any)") Map<@NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "a section code: letters, digits, _ or -") String, @NotBlank @Size(max = 300) String> sectionTitles,
            @Size(max = 20) @Schema(description = "Fixed paragraphs before the signatures") List<@NotBlank @Size(max = 4000) String> closing) {

        DocumentTemplate toDomain(ConventionKind kind, int version) {
            return new DocumentTemplate(kind, version, heading.strip(), reference == null ? null : reference.strip(),
                    preamble, headings.toDomain(), sectionTitles, closing);
        }
    }

    @Schema(name = "DocumentTemplate", description = "One published version of a kind's document template", requiredProperties = {
            "kind", "version", "heading", "preamble", "headings", "sectionTitles", "closing",
            "publishedAt", "publishedBy" })
    public record DocumentTemplateView(ConventionKind kind, int version, String heading, String reference,
            List<String> preamble, HeadingsRequest headings, Map<String, String> sectionTitles,
            List<String> closing, OffsetDateTime publishedAt, String publishedBy) {

        static DocumentTemplateView of(DocumentTemplateVersionEntity v) {
            DocumentTemplate t = v.document;
            DocumentTemplate.Headings h = t.headings();
            return new DocumentTemplateView(t.kind(), t.version(), t.heading(), t.reference(), t.preamble(),
                    new HeadingsRequest(h.parties(), h.content(), h.devices(), h.objectives(), h.actions(),
                            h.partners(), h.commitments(), h.reservationCosts(), h.communication(), h.signatures()),
                    new TreeMap<>(t.sectionTitles()), t.closing(), v.publishedAt, v.publishedBy);
        }
    }
}
