package fr.actionlogement.territorial.observatory.api;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;
import fr.actionlogement.territorial.observatory.domain.PublicPrioritaire;
import fr.actionlogement.territorial.observatory.domain.Visibility;
import fr.actionlogement.territorial.observatory.persistence.CsvObservationImport;
import fr.actionlogement.territorial.observatory.persistence.ObservationStore;

/** Request and response bodies of the observation API. */
public final class ObservationModels {

    static final String INDICATOR = "[A-Z][A-Z0-9_]{1,59}";

    private ObservationModels() {
    }

    @Schema(name = "ObservationRequest", description = "R-43: one value per territory, period, priority public, indicator and source")
    public record ObservationRequest(
            @NotBlank @Pattern(regexp = StudyModels.TERRITORY_ID, message = "must be KIND:code, e.g. COMMUNE:69123") @Schema(examples = "COMMUNE:69123") String territoryId,
            @NotBlank @Pattern(regexp = INDICATOR, message = "must be an indicator code of the catalogue") @Schema(examples = "DEMANDES_LOGEMENT_SALARIES") String indicator,
            @NotNull @Schema(examples = "JEUNES_SALARIES") PublicPrioritaire publicPrioritaire,
            @NotBlank @Pattern(regexp = ObservationPeriod.PATTERN, message = "must be a year (2024) or a month (2024-03)") @Schema(examples = "2024-03") String period,
            @NotNull @DecimalMin(value = "0", message = "must be 0 or more") @Digits(integer = 14, fraction = 4) @Schema(examples = "412") BigDecimal value,
            @NotBlank @Size(max = 100) @Schema(examples = "CIL 782855696 demand file") String source,
            @Schema(description = "Publication status; DRAFT when absent", examples = "DRAFT") Visibility visibility) {
    }

    @Schema(name = "ObservationCorrection")
    public record CorrectionRequest(
            @NotNull @DecimalMin(value = "0", message = "must be 0 or more") @Digits(integer = 14, fraction = 4) @Schema(examples = "415") BigDecimal value,
            @NotBlank @Size(max = 100) String source,
            @Size(max = 1000) @Schema(examples = "Late applications added") String reason) {
    }

    @Schema(name = "Publication", description = "R-43: share with the partners (SHARED) or with everybody (PUBLIC); never back to DRAFT")
    public record PublicationRequest(
            @NotNull @Schema(examples = "SHARED") Visibility visibility,
            @Size(max = 1000) String reason) {
    }

    @Schema(name = "Observation")
    public record ObservationView(long id, String territoryId, String indicator,
            @Schema(enumeration = {
                    "JEUNES_SALARIES", "SALARIES_EN_MOBILITE", "SALARIES_PRECAIRES_MODESTES",
                    "ACCESSION_SOCIALE_INTERMEDIAIRES" }) String publicPrioritaire,
            @Schema(examples = "2024-03") String period, BigDecimal value, String source,
            @Schema(examples = "SHARED", enumeration = { "DRAFT", "SHARED", "PUBLIC" }) String visibility,
            @Schema(description = "Organisation that produced it", examples = "CIL:782855696") String producer,
            @Schema(description = "The import or single write it came with") UUID batchId,
            @Schema(description = "Also the ETag") long version, OffsetDateTime recordedAt){

        static ObservationView of(ObservationStore.Observation o) {
            return new ObservationView(o.id(), o.territoryId(), o.indicator(), o.publicPrioritaire(), o.period(),
                    o.value(), o.source(), o.visibility(), o.producer(), o.batchId(), o.version(), o.recordedAt());
        }
    }

    @Schema(name = "RejectedRow")
    public record RejectedRow(@Schema(examples = "7") long line,
            @Schema(examples = "territoryId: unknown territory COMMUNE:99999") String reason) {
        static RejectedRow of(CsvObservationImport.Rejection r) {
            return new RejectedRow(r.line(), r.reason());
        }
    }

    @Schema(name = "ObservationImport", description = "Report of a CSV import: rows read, imported, rejected (with the first rejected lines)")
    public record ImportReport(UUID batchId, String visibility, String producer, OffsetDateTime createdAt,
            long rowsRead, long rowsImported, long rowsRejected,
            @Schema(description = "First rejected rows; the full list is at .../rejections") List<RejectedRow> rejections,
            @Schema(description = "Also the ETag") long version) {
    }

    @Schema(name = "ObservationPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public static class ObservationPage {
        public List<ObservationView> items;
        public int page;
        public int size;
        public long totalItems;
        public int totalPages;
    }

    @Schema(name = "RejectedRowPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public static class RejectedRowPage {
        public List<RejectedRow> items;
        public int page;
        public int size;
        public long totalItems;
        public int totalPages;
    }
}
