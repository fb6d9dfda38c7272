package fr.actionlogement.territorial.partnerships.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.partnerships.domain.InvestmentKind;
import fr.actionlogement.territorial.partnerships.domain.PartyType;
import fr.actionlogement.territorial.partnerships.domain.SignatorySide;

/** Request bodies of the agreements API. */
public final class AgreementRequests {

    static final String SIREN = "\\d{9}";
    /** A commune's INSEE code, an EPCI's SIREN, or a département's or région's territory id. */
    static final String COLLECTIVITE = "(\\d{9}|[0-9][0-9AB]\\d{3}|DEPARTEMENT:(\\d{2,3}|2[AB])|REGION:\\d{2})";

    private AgreementRequests() {
    }

    @Schema(name = "PlannedInvestment")
    public record InvestmentInput(
            @NotNull @Schema(examples = "SUBVENTION") InvestmentKind kind,
            @NotNull @DecimalMin(value = "0.01", message = "must be positive") @Digits(integer = 13, fraction = 2) @Schema(description = "Amount in euros", examples = "250000") BigDecimal amount,
            @Size(max = 500) @Schema(examples = "Subsidy to 40 PLAI dwellings for young employees") String description) {
    }

    @Schema(name = "CreateAgreement", description = "A draft individual partnership agreement (R-20, R-25)")
    public record CreateAgreement(
            @Schema(description = "CIL by default; FONCIERE_LOGEMENT and APAGL record their particular agreements (R-25)", examples = "CIL") PartyType partyType,
            @Pattern(regexp = SIREN, message = "must be a SIREN (9 digits)") @Schema(description = "SIREN of the CIL; a CIL user may omit it (its own)", examples = "314159265") String cilId,
            @Pattern(regexp = SIREN, message = "must be a SIREN (9 digits)") @Schema(description = "SIREN of the CIL's subsidiary (filiale) concluding it, if any", examples = "271828182") String filialeId,
            @NotBlank @Pattern(regexp = COLLECTIVITE, message = "must be a commune's INSEE code, an EPCI's SIREN, DEPARTEMENT:<code> or REGION:<code>") @Schema(description = "The local authority: INSEE code (commune), SIREN (EPCI), or the territory id of a département (DEPARTEMENT:69) or région (REGION:84), whose SIREN the territory reference does not carry (R-20)", examples = "200046977") String collectiviteId,
            @NotBlank @Size(max = 2000) @Schema(examples = "Housing of young employees of the Part-Dieu business district") String object,
            @Schema(examples = "2026-01-01") LocalDate startDate,
            @NotNull @Min(value = 1, message = "must be at least 1") @Max(value = 240, message = "must be at most 240") @Schema(description = "Duration in months", examples = "36") Integer durationMonths,
            @Schema(description = "The agreement gives the CIL an exclusive relationship with the authority (R-21)", examples = "true") boolean exclusivity,
            @Size(max = 2000) @Schema(description = "Required with an exclusivity clause", examples = "Intermediation for young employees") String exclusivityScope,
            @Size(max = 50) List<@NotNull @Valid InvestmentInput> investments) {
    }

    @Schema(name = "ReviseAgreement", description = "New terms of a DRAFT agreement (the parties cannot change)")
    public record ReviseAgreement(
            @NotBlank @Size(max = 2000) String object,
            LocalDate startDate,
            @NotNull @Min(value = 1, message = "must be at least 1") @Max(value = 240, message = "must be at most 240") Integer durationMonths,
            boolean exclusivity,
            @Size(max = 2000) String exclusivityScope,
            @Size(max = 50) List<@NotNull @Valid InvestmentInput> investments) {
    }

    @Schema(name = "ExclusivityDecision", description = "The UESL's decision on an exclusivity clause (R-21)")
    public record ExclusivityDecision(
            @NotNull @Schema(examples = "false") Boolean granted,
            @Size(max = 4000) @Schema(description = "Required for a refusal", examples = "Exclusivity would shut out the other CILs present on the EPCI") String reasons) {
    }

    @Schema(name = "InvestmentOpinion", description = "The UESL's approval or opinion on planned investments (R-22)")
    public record InvestmentOpinion(
            @NotNull @Schema(examples = "true") Boolean favourable,
            @Size(max = 4000) @Schema(description = "Required when unfavourable", examples = "Amounts consistent with the CIL's programme") String opinion) {
    }

    @Schema(name = "SignAgreement", description = "One side's signature (R-24). A CIL (or subsidiary) user signs for the partner side, a local authority's user or client for the authority; a UESL or admin user records a party's signature on its behalf, naming the side, or, without a side, records the signatures still missing (a paper agreement signed by both). The agreement is SIGNED when both sides have signed.")
    public record Sign(
            @NotNull @Schema(description = "The date the side signed; never in the future", examples = "2026-03-15") LocalDate signedOn,
            @Size(max = 2000) String reason,
            @Schema(description = "PARTNER (the CIL, its subsidiary, Foncière Logement or APAGL) or AUTHORITY; deduced from the caller when omitted", examples = "AUTHORITY") SignatorySide side) {

        public Sign(LocalDate signedOn, String reason) {
            this(signedOn, reason, null);
        }
    }

    @Schema(name = "UeslDecision", description = "R-25: the UESL's choice to stay out of (or join) a particular agreement of Foncière Logement or APAGL")
    public record UeslDecisionRequest(
            @NotNull @Schema(description = "true: the UESL stays out (nothing to review); false: it joins (R-22 opinion on investments above the thresholds)", examples = "true") Boolean staysOut,
            @NotNull @Schema(description = "Date of the decision; never in the future", examples = "2026-02-01") LocalDate decidedOn,
            @NotBlank @Size(max = 4000) @Schema(examples = "Agreement within Foncière Logement's own land policy; the UESL does not wish to join it") String reasons) {
    }

    @Schema(name = "EndAgreement")
    public record End(
            @NotNull @Schema(examples = "2029-03-14") LocalDate endedOn,
            @NotBlank @Size(max = 2000) @Schema(examples = "Term reached") String reason) {
    }
}
