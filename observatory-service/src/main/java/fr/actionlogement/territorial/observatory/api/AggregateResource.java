package fr.actionlogement.territorial.observatory.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;
import fr.actionlogement.territorial.observatory.persistence.AggregateQuery;
import fr.actionlogement.territorial.observatory.persistence.AggregateReads;
import fr.actionlogement.territorial.observatory.persistence.ReadModels;
import io.quarkus.security.Authenticated;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Aggregates", description = "National and regional expertise on priority publics' needs (R-44)")
@Authenticated
public class AggregateResource {

    @Schema(name = "AggregateSeries", description = "Time series ready for charts: one series per priority public")
    public record AggregateView(
            @Schema(examples = "REGION:84") String territoryId, String territoryName,
            @Schema(examples = "DEMANDES_LOGEMENT_SALARIES") String indicator, String unit,
            @Schema(examples = "SUM", enumeration = {
                    "SUM", "AVERAGE" }) String aggregation,
            @Schema(examples = "YEAR", enumeration = { "MONTH", "YEAR" }) String granularity,
            @Schema(description = "Observations used: recorded per MONTH or per YEAR", enumeration = { "MONTH",
                    "YEAR" }) String periodType,
            String from, String to,
            @Schema(description = "Publication statuses counted (drafts never are)") List<String> visibilities,
            List<AggregateQuery.Series> series){
    }

    @Schema(name = "ObservedNeed")
    public record ObservedNeed(String indicator, String unit, BigDecimal value, long observations,
            @Schema(description = "YEAR when yearly observations exist, else MONTH (months summed or averaged)", enumeration = {
                    "MONTH", "YEAR" }) String basis){
    }

    @Schema(name = "ObjectiveComparison")
    public record ObjectiveComparison(String objectiveId, String indicator, String publicPrioritaire, int year,
            BigDecimal target,
            @Schema(description = "Sum of the achievements recorded against the objective") BigDecimal achieved,
            @Schema(description = "achieved / target, in percent") BigDecimal progressPercent,
            @Schema(description = "Observed value of the objective's own indicator on the territory that year, if any") BigDecimal observed,
            @Schema(description = "target / observed, in percent: how much of the observed figure the objective covers") BigDecimal targetShareOfObservedPercent,
            @Schema(description = "Every indicator observed for this public and year on the territory") List<ObservedNeed> observedNeeds) {
    }

    @Schema(name = "ConventionComparison", description = "R-44: a signed convention's objectives next to achievements and observed needs")
    public record ComparisonView(String conventionId, int version, String territoryId, LocalDate signedOn,
            List<String> visibilities, List<ObjectiveComparison> objectives) {
    }

    /** A territory of the reference, or the national level. */
    static final String AGGREGATE_TERRITORY_ID = "NATION:FR|" + StudyModels.TERRITORY_ID;

    /** The national level's name in the series. */
    static final String FRANCE = "France";

    private final AggregateReads aggregates;
    private final ReadModels readModels;
    private final Callers callers;
    private final Clock clock;

    AggregateResource(AggregateReads aggregates, ReadModels readModels, Callers callers, Clock clock) {
        this.aggregates = aggregates;
        this.readModels = readModels;
        this.callers = callers;
        this.clock = clock;
    }

    @GET
    @Path("aggregates")
    @Operation(operationId = "aggregateObservations", summary = "Aggregate observations of a territory and everything under it", description = "R-44: by priority public and period (month or year), summed or averaged as the indicator's "
            + "catalogue entry says, over the territory and its sub-territories (région > département > EPCI > "
            + "commune; basin > EPCI), or over all of France with territoryId=NATION:FR (every région, département, "
            + "EPCI and commune, overseas collectivities included; basins, which group EPCI, are not counted twice). "
            + "Partners see shared and public figures, observers public ones; drafts never count.")
    @APIResponse(responseCode = "200", description = "The series", content = @Content(schema = @Schema(implementation = AggregateView.class)))
    public AggregateView aggregate(
            @QueryParam("territoryId") @NotBlank @Pattern(regexp = AGGREGATE_TERRITORY_ID, message = "must be KIND:code or NATION:FR") @Parameter(description = "A territory, or NATION:FR for the national level (all of France)", example = "REGION:84") String territoryId,
            @QueryParam("indicator") @NotBlank @Pattern(regexp = ObservationModels.INDICATOR, message = "must be an indicator code") @Parameter(example = "DEMANDES_LOGEMENT_SALARIES") String indicator,
            @QueryParam("publicPrioritaire") @Pattern(regexp = "JEUNES_SALARIES|SALARIES_EN_MOBILITE|SALARIES_PRECAIRES_MODESTES|ACCESSION_SOCIALE_INTERMEDIAIRES", message = "must be a priority public") String publicPrioritaire,
            @QueryParam("granularity") @DefaultValue("YEAR") @Pattern(regexp = "MONTH|YEAR", message = "must be MONTH or YEAR") String granularity,
            @QueryParam("periodType") @Pattern(regexp = "MONTH|YEAR", message = "must be MONTH or YEAR") @Parameter(description = "Which observations: monthly or yearly ones; defaults to the granularity") String periodType,
            @QueryParam("from") @Pattern(regexp = ObservationPeriod.PATTERN, message = "must be a year (2024) or a month (2024-03)") @Parameter(description = "First period included; default ten years back", example = "2020") String from,
            @QueryParam("to") @Pattern(regexp = ObservationPeriod.PATTERN, message = "must be a year (2024) or a month (2024-03)") @Parameter(description = "Last period included; default this year", example = "2024") String to) {
        String type = periodType != null ? periodType : granularity;
        if ("YEAR".equals(type) && "MONTH".equals(granularity)) {
            throw ProblemException.invalid("granularity", "yearly observations cannot be shown by month");
        }
        String territoryName = AggregateQuery.isNational(territoryId) ? FRANCE
                : readModels.territory(territoryId).orElseThrow(() -> ProblemException.notFound("Territory", territoryId))
                        .name();
        int thisYear = LocalDate.now(clock).getYear();
        LocalDate start = from == null ? LocalDate.of(thisYear - 10, 1, 1) : ObservationPeriod.parse(from).start();
        ObservationPeriod last = to == null ? new ObservationPeriod(ObservationPeriod.Type.YEAR, LocalDate.of(thisYear, 1, 1))
                : ObservationPeriod.parse(to);
        LocalDate end = last.type() == ObservationPeriod.Type.YEAR ? last.start().plusYears(1) : last.start().plusMonths(1);
        if (!start.isBefore(end)) {
            throw ProblemException.invalid("from", "must come before 'to'");
        }
        List<String> visibilities = callers.aggregateVisibilities();
        AggregateQuery.Request req = new AggregateQuery.Request(territoryId, indicator, publicPrioritaire,
                "YEAR".equals(type) ? 'Y' : 'M', AggregateQuery.Granularity.valueOf(granularity), start, end,
                visibilities);
        AggregateQuery.Result r = aggregates.aggregate(req);
        if (r == null) {
            throw ProblemException.invalid("indicator", "not in the catalogue: " + indicator);
        }
        return new AggregateView(territoryId, territoryName, indicator, r.indicator().unit(),
                r.indicator().aggregation(), granularity, type, ObservationPeriod.format('M', start),
                ObservationPeriod.format('M', end.minusMonths(1)), visibilities, r.series());
    }

    @GET
    @Path("conventions/{conventionId}/comparison")
    @Operation(operationId = "compareConventionWithNeeds", summary = "Compare a signed convention's objectives with achievements and observed needs", description = "R-44 with R-06: for each quantified objective, the achievements recorded so far and the needs "
            + "observed on the convention's territory for the same priority public and year. The convention's own "
            + "visibility applies (as in conventions-service): the UESL sees all, a délégué their région's, a CIL or "
            + "an authority those it is party to; another is answered 404, and observers are refused (403).")
    @APIResponse(responseCode = "200", description = "The comparison", content = @Content(schema = @Schema(implementation = ComparisonView.class)))
    public ComparisonView compare(@PathParam("conventionId") String conventionId) {
        if (!callers.partner()) {
            throw ProblemException.forbidden("conventions are read by the UESL, délégués and their parties only");
        }
        // The convention's row-level rule, as conventions-service applies it: what the caller may not see is hidden.
        ReadModels.Convention conv = readModels.convention(conventionId)
                .filter(c -> callers.user().seesParties(c.partyKeys(), c.regionCode()))
                .orElseThrow(() -> ProblemException.notFound("Signed convention", conventionId));
        List<String> visibilities = callers.aggregateVisibilities();
        List<ObjectiveComparison> out = new ArrayList<>();
        for (ReadModels.ObjectiveProgress p : readModels.objectives(conventionId)) {
            ReadModels.Objective o = p.objective();
            List<ObservedNeed> needs = needs(conv.territoryId(), o.publicPrioritaire(), o.year(), visibilities);
            BigDecimal observed = needs.stream().filter(n -> n.indicator().equals(o.indicator()))
                    .map(ObservedNeed::value).findFirst().orElse(null);
            out.add(new ObjectiveComparison(o.objectiveId(), o.indicator(), o.publicPrioritaire(), o.year(),
                    AggregateQuery.plain(o.target()), AggregateQuery.plain(p.achieved()),
                    percent(p.achieved(), o.target()), observed, percent(o.target(), observed), needs));
        }
        return new ComparisonView(conv.conventionId(), conv.version(), conv.territoryId(), conv.signedOn(),
                visibilities, out);
    }

    private List<ObservedNeed> needs(String territoryId, String publicPrioritaire, int year, List<String> visibilities) {
        return aggregates.observedNeeds(territoryId, publicPrioritaire, year, visibilities).stream()
                .map(n -> new ObservedNeed(n.indicator(), n.unit(), n.value(), n.observations(), n.basis())).toList();
    }

    private static BigDecimal percent(BigDecimal part, BigDecimal whole) {
        if (part == null || whole == null || whole.signum() == 0) {
            return null;
        }
        return AggregateQuery.plain(part.multiply(BigDecimal.valueOf(100)).divide(whole, 2, RoundingMode.HALF_UP));
    }
}
