package fr.actionlogement.territorial.conventions.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.conventions.domain.Achievement;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionContent;
import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import fr.actionlogement.territorial.conventions.domain.ConventionSignature;
import fr.actionlogement.territorial.conventions.domain.ConventionSnapshot;
import fr.actionlogement.territorial.conventions.domain.ConventionStatus;
import fr.actionlogement.territorial.conventions.domain.Device;
import fr.actionlogement.territorial.conventions.domain.Evaluation;
import fr.actionlogement.territorial.conventions.domain.ObjectiveProgress;
import fr.actionlogement.territorial.conventions.domain.PartyType;
import fr.actionlogement.territorial.conventions.domain.RegionalConference;
import fr.actionlogement.territorial.conventions.domain.ReservationCostChange;
import fr.actionlogement.territorial.conventions.domain.Section;
import fr.actionlogement.territorial.conventions.domain.UeslDecision;
import fr.actionlogement.territorial.conventions.domain.UeslDecisionType;

/** Request and response bodies of the conventions API. */
public final class ConventionDtos {

    private ConventionDtos() {
    }

    @Schema(name = "ProposeConvention", description = "R-01/R-02/R-04: a délégué territorial proposes a territory")
    public record ProposeConvention(
            @NotBlank @Schema(examples = "2011-experimentation") String campaignId,
            @NotBlank @Pattern(regexp = "(EPCI|BASSIN|COMMUNE|DEPARTEMENT|REGION):[A-Za-z0-9-]{1,40}", message = "must be KIND:code, e.g. EPCI:200046977") @Schema(examples = "EPCI:200046977") String territoryId,
            @NotNull @Schema(examples = "TERRITORIALE") ConventionKind kind,
            @NotBlank @Schema(examples = "charte-territoriale") String templateId,
            @NotNull @Min(1) @Schema(examples = "1") Integer templateVersion,
            @Size(max = 300) @Schema(examples = "Charte territoriale Métropole de Lyon") String title) {
    }

    @Schema(name = "Transition", description = "Why a lifecycle transition is made (audited); optional: no body,"
            + " or {}, makes the transition without a reason")
    public record Transition(
            @Size(max = 2000) @Schema(examples = "Concertation des CIL en conférence régionale du 12 mai") String reason) {
    }

    @Schema(name = "SignConvention", description = "Optional: no body, or {}, signs with today's date. Send signedOn"
            + " for the date written on the signed convention; costIncreaseJustification is needed only when a"
            + " reservation cost rises against the territory's previous convention (GET .../reservation-costs shows"
            + " INCREASED): without it the signature is refused (422 R-11).")
    public record SignConvention(
            @Schema(description = "Signature date, today by default", examples = "2011-06-30") LocalDate signedOn,
            @Size(max = 2000) @Schema(description = "Why it is signed now (audited), free text") String reason,
            @Size(max = 2000) @Schema(description = "R-11: why reservation costs rise against the territory's previous convention, when they do") String costIncreaseJustification) {
    }

    @Schema(name = "RecordSignature", description = "R-14: one party signs (a CIL or authority user for its own party;"
            + " the UESL for itself or on behalf of any other party). The last required signature makes the convention"
            + " SIGNED, dated by the latest signature; the rules are checked again at that date (R-07 presence).")
    public record RecordSignature(
            @NotNull @Schema(examples = "CIL") PartyType partyType,
            @NotBlank @Size(max = 64) @Schema(examples = "775574166") String partyId,
            @Schema(description = "The date the party signed, today by default; never in the future (422 R-14)", examples = "2011-06-30") LocalDate signedOn,
            @Size(max = 2000) @Schema(description = "Audited, free text") String reason,
            @Size(max = 2000) @Schema(description = "R-11: needed with the last signature when a reservation cost rises") String costIncreaseJustification) {
    }

    @Schema(name = "Signatures", description = "R-14: the required signatories, the signatures recorded and those awaited")
    public record SignaturesView(String conventionId, ConventionStatus status, LocalDate signedOn,
            @Schema(description = "Every listed signatory signs, as TYPE:id") List<String> required,
            List<ConventionSignature> signatures,
            @Schema(description = "Still awaited, as TYPE:id") List<String> missing) {

        static SignaturesView of(Convention c) {
            return new SignaturesView(c.conventionId(), c.status(), c.signedOn(),
                    c.requiredSignatories().stream().map(s -> s.key()).toList(), c.signatures(),
                    c.missingSignatories());
        }
    }

    @Schema(name = "SignatureRecorded", description = "The signature, and where the convention stands")
    public record SignatureRecordedView(ConventionSignature signature, ConventionStatus status, LocalDate signedOn,
            List<String> missing) {
    }

    @Schema(name = "RecordUeslDecision", description = "R-07/R-08: a decision of the UESL (UESL users only). CONCERTATION"
            + " names the party it admits (a CIL not present, its subsidiary, Foncière Logement or APAGL);"
            + " SIGNATURE_REQUEST / SIGNATURE_REQUEST_WITHDRAWN name none.")
    public record RecordUeslDecision(
            @NotNull @Schema(examples = "CONCERTATION") UeslDecisionType type,
            @Schema(examples = "APAGL") PartyType partyType,
            @Size(max = 64) @Schema(examples = "APAGL") String partyId,
            @NotBlank @Size(max = 2000) @Schema(examples = "GRL développée sur le territoire: APAGL signataire après concertation du 12 mai 2011") String reasons,
            @Schema(description = "Date of the decision, today by default; never in the future", examples = "2011-05-12") LocalDate decidedOn) {
    }

    @Schema(name = "AmendConvention", description = "R-14: an avenant; the new content replaces the current one as version n+1")
    public record AmendConvention(
            @NotBlank @Size(max = 2000) @Schema(examples = "Avenant n°1: objectifs 2013 relevés") String reason,
            @NotNull @Valid ConventionContent content) {
    }

    @Schema(name = "EvaluateConvention")
    public record EvaluateConvention(
            @NotBlank @Size(max = 10000) @Schema(examples = "Objectifs de construction atteints à 80 %") String assessment,
            LocalDate evaluatedOn) {
    }

    @Schema(name = "TerminateConvention")
    public record TerminateConvention(
            @NotBlank @Size(max = 2000) @Schema(examples = "Résiliation à l'initiative de la collectivité") String reason,
            LocalDate terminatedOn) {
    }

    @Schema(name = "RecordAchievement", description = "R-06: a réalisation against an objective")
    public record RecordAchievement(@NotNull @Min(0) @Max(1_000_000_000) @Schema(examples = "120") Long value,
            @Schema(examples = "2012-12-31") LocalDate recordedOn, @Size(max = 2000) String note) {
    }

    @Schema(name = "Convention", description = "A territorial convention, its content, progress and lifecycle")
    public record ConventionView(
            String conventionId,
            ConventionKind kind,
            String campaignId,
            String territoryId,
            String territoryName,
            String regionCode,
            @Schema(description = "The territory and, for a basin, its EPCIs") List<String> coveredTerritoryIds,
            @Schema(description = "R-15: the installed conférence territoriale (conventions-cadre)") String conferenceTerritorialeId,
            String templateId,
            int templateVersion,
            ConventionStatus status,
            @Schema(description = "R-14: 1, then +1 per amendment") int version,
            /* where it is negotiated; null until then (no @Schema: it would add "type: object" beside null) */
            RegionalConference regionalConference,
            ConventionContent content,
            List<Achievement> achievements,
            @Schema(description = "R-06: objectives with what was achieved") List<ObjectiveProgress> progress,
            @Schema(description = "R-08: whether the UESL must sign or be present") boolean ueslSignatureRequired,
            String proposedBy,
            Instant proposedAt,
            LocalDate signedOn,
            String signatureJustification,
            Evaluation evaluation,
            LocalDate terminatedOn,
            String terminationReason,
            @Schema(description = "R-14: each party's signature so far") List<ConventionSignature> signatures,
            @Schema(description = "R-07/R-08: the UESL's recorded decisions") List<UeslDecision> ueslDecisions) {

        static ConventionView of(Convention c) {
            ConventionSnapshot s = c.snapshot();
            return new ConventionView(s.conventionId(), s.kind(), s.campaignId(), s.territoryId(), s.territoryName(),
                    s.regionCode(), s.coveredTerritoryIds(), s.conferenceTerritorialeId(), s.templateId(),
                    s.templateVersion(), s.status(), s.version(), s.regionalConference(), s.content(),
                    s.achievements(), c.progress(), c.requiresUeslSignature(), s.proposedBy(),
                    s.proposedAt(), s.signedOn(), s.signatureJustification(), s.evaluation(), s.terminatedOn(),
                    s.terminationReason(), c.signatures(), c.ueslDecisions());
        }
    }

    @Schema(name = "ConventionVersion", description = "R-14: a signed version, readable after later amendments")
    public record VersionView(int version, OffsetDateTime recordedAt, String recordedBy, String reason,
            ConventionView convention) {
    }

    @Schema(name = "ReservationCostComparison", description = "R-11: reservation costs against the territory's previous convention")
    public record CostComparison(String conventionId, String previousConventionId, LocalDate previousSignedOn,
            List<ReservationCostChange> changes) {
    }

    @Schema(name = "CampaignRequest")
    public record CampaignRequest(@NotBlank @Size(max = 200) @Schema(examples = "Expérimentation 2011") String name,
            @NotNull @Min(2000) @Max(2100) @Schema(examples = "2011") Integer year,
            @Min(0) @Max(1000) @Schema(description = "R-02: open conventions allowed; the configured default when absent", examples = "10") Integer cap,
            @Min(2000) @Max(2100) @Schema(examples = "2012") Integer evaluationYear,
            @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "lower-case slug") @Schema(description = "Slug; generated when absent", examples = "2011-experimentation") String campaignId) {
    }

    @Schema(name = "CampaignUpdate")
    public record CampaignUpdate(@NotBlank @Size(max = 200) String name, @NotNull @Min(0) @Max(1000) Integer cap,
            @Min(2000) @Max(2100) Integer evaluationYear, @NotNull Boolean open) {
    }

    @Schema(name = "Campaign")
    public record CampaignView(String campaignId, String name, int year, int cap, Integer evaluationYear,
            boolean open, @Schema(description = "R-02: conventions open in it now") long openConventions) {
    }

    @Schema(name = "TemplateRequest", description = "R-04: a UESL content template (publishes a new version)")
    public record TemplateRequest(@NotBlank @Size(max = 200) @Schema(examples = "Charte territoriale type") String name,
            @NotNull ConventionKind kind,
            @NotNull @Size(min = 1, max = 100) List<@Valid @NotNull Section> sections,
            List<Device> suggestedDevices,
            @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "lower-case slug") String templateId) {
    }

    @Schema(name = "TemplateVersion")
    public record TemplateVersionView(String templateId, int version, String name, ConventionKind kind,
            List<Section> sections, List<Device> suggestedDevices, OffsetDateTime publishedAt, String publishedBy) {
    }

    @Schema(name = "Template")
    public record TemplateView(String templateId, String name, ConventionKind kind, int latestVersion) {
    }

    @Schema(name = "EnvelopeRequest", description = "R-10: a CIL's envelope on a contingent product for a year")
    public record EnvelopeRequest(
            @NotBlank @Pattern(regexp = "[0-9]{9}", message = "a SIREN of 9 digits") @Schema(examples = "775574166") String cilId,
            @NotBlank @Schema(examples = "PASS_FONCIER") String product,
            @NotNull @Min(2000) @Max(2100) @Schema(examples = "2011") Integer year,
            @NotNull @Min(0) @Schema(examples = "300") Long amount) {
    }

    @Schema(name = "EnvelopeUpdate")
    public record EnvelopeUpdate(@NotNull @Min(0) Long amount) {
    }

    @Schema(name = "Envelope", description = "R-10: what is committed on the envelope and what remains")
    public record EnvelopeView(String envelopeId, String cilId, String product, int year, long amount,
            long committed, long remaining) {
    }
}
