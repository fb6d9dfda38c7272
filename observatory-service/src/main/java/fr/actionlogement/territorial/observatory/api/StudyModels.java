package fr.actionlogement.territorial.observatory.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.observatory.domain.FinancingShare;
import fr.actionlogement.territorial.observatory.domain.NeedsStudy;
import fr.actionlogement.territorial.observatory.domain.PartnerType;
import fr.actionlogement.territorial.observatory.domain.PublicPrioritaire;
import fr.actionlogement.territorial.observatory.domain.SourceType;
import fr.actionlogement.territorial.observatory.domain.StudySource;
import fr.actionlogement.territorial.observatory.domain.StudyStatus;
import fr.actionlogement.territorial.observatory.domain.StudyTopic;
import fr.actionlogement.territorial.observatory.persistence.StudyEntity;

/** Request and response bodies of the needs-study API. */
public final class StudyModels {

    static final String TERRITORY_ID = "(REGION|DEPARTEMENT|COMMUNE|EPCI|BASSIN):[A-Za-z0-9_-]{1,40}";

    private StudyModels() {
    }

    @Schema(name = "FinancingShare", description = "R-41: one partner's share of the study's cost, in euros")
    public record Share(
            @NotNull @Schema(examples = "CIL") PartnerType partnerType,
            @Size(max = 64) @Schema(description = "SIREN of a CIL, collectivité id, or the partner's own reference; required for a CIL", examples = "782855696") String partnerId,
            @NotBlank @Size(max = 200) @Schema(examples = "Action Logement Services Rhône") String partnerName,
            @NotNull @DecimalMin(value = "0.01", message = "must be positive") @Digits(integer = 12, fraction = 2) @Schema(examples = "30000.00") BigDecimal amount) {
    }

    @Schema(name = "StudySource", description = "R-42: where the study's data come from")
    public record Source(
            @NotNull @Schema(examples = "PROVIDER") SourceType type,
            @NotBlank @Size(max = 200) @Schema(description = "Provider's name, database or partner", examples = "Cabinet Habitat Conseil") String name) {
    }

    @Schema(name = "NeedsStudyRequest", description = "Proposal (or revision) of a needs study, R-40..R-42")
    public record StudyRequest(
            @NotBlank @Size(max = 200) @Schema(examples = "Logement des jeunes salariés de la Métropole de Lyon") String title,
            @NotBlank @Pattern(regexp = TERRITORY_ID, message = "must be KIND:code, e.g. EPCI:200046977") @Schema(examples = "EPCI:200046977") String territoryId,
            @Size(max = 200) @Schema(description = "The scale the CILs chose, in words", examples = "Métropole et communes limitrophes") String scale,
            @NotEmpty Set<@NotNull StudyTopic> topics,
            @NotNull Set<@NotNull PublicPrioritaire> publicsPrioritaires,
            @NotNull @Schema(description = "SIREN of the CILs present on the territory that launch the study (R-40)", examples = "[\"782855696\"]") List<@NotNull @Pattern(regexp = "[0-9]{9}", message = "must be a SIREN (9 digits)") String> launchingCilIds,
            @Size(max = 4000) @Schema(description = "R-41: the operational interest for priority publics' access to housing; required before any CIL financing", examples = "Size the offer of small dwellings for apprentices and young employees hired in the Vallée de la chimie") String operationalInterest,
            @NotNull @DecimalMin("0.00") @Digits(integer = 12, fraction = 2) @Schema(examples = "60000.00") BigDecimal cost,
            @NotNull List<@Valid @NotNull Share> financing,
            @NotEmpty List<@Valid @NotNull Source> sources) {
    }

    @Schema(name = "StudyTransition", description = "Why the state changes (kept in the audit log)")
    public record TransitionRequest(@Size(max = 1000) @Schema(examples = "Provider contract signed") String reason) {
    }

    @Schema(name = "StudyDelivery", description = "Results of a commissioned study")
    public record DeliveryRequest(
            @NotBlank @Size(max = 10000) @Schema(examples = "1 200 young employees a year lack a small affordable dwelling") String resultsSummary,
            @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") @Schema(description = "Where the full report is published, if not attached", examples = "https://example.org/etudes/lyon-jeunes.pdf") String reportUri,
            @Size(max = 1000) String reason) {
    }

    @Schema(name = "NeedsStudy")
    public record StudyView(
            UUID id, String title, String territoryId, String scale, Set<StudyTopic> topics,
            Set<PublicPrioritaire> publicsPrioritaires, List<String> launchingCilIds, String operationalInterest,
            BigDecimal cost, List<FinancingShare> financing,
            @Schema(description = "Sum of the financing shares") BigDecimal financedAmount,
            List<StudySource> sources,
            @Schema(examples = "PROPOSED") StudyStatus status,
            String resultsSummary, String reportUri, boolean reportAttached,
            LocalDate commissionedOn, LocalDate deliveredOn, LocalDate publishedOn,
            @Schema(description = "Also the ETag") long version,
            String createdBy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        static StudyView of(StudyEntity st) {
            NeedsStudy s = st.toDomain();
            return new StudyView(s.id(), s.title(), s.territoryId(), s.scale(), s.topics(), s.publics(),
                    s.launchingCilIds(), s.operationalInterest(), s.cost(), s.financing(), s.financedAmount(),
                    s.sources(), s.status(), s.resultsSummary(), s.reportUri(), st.reportAttached,
                    s.commissionedOn(), s.deliveredOn(), s.publishedOn(), st.version, st.createdBy,
                    st.createdAtUtc(), st.updatedAtUtc());
        }
    }

    static NeedsStudy.Terms terms(StudyRequest r) {
        return new NeedsStudy.Terms(r.title().strip(), r.territoryId(), r.scale(), r.topics(),
                r.publicsPrioritaires(), r.launchingCilIds(), r.operationalInterest(), r.cost(),
                r.financing().stream().map(f -> new FinancingShare(f.partnerType(), f.partnerId(),
                        f.partnerName().strip(), f.amount())).toList(),
                r.sources().stream().map(s -> new StudySource(s.type(), s.name().strip())).toList());
    }
}
