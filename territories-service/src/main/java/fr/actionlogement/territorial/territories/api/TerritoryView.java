package fr.actionlogement.territorial.territories.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import fr.actionlogement.territorial.territories.persistence.TerritoryRepository;

/** A territory of the reference as the API shows it. */
@Schema(name = "Territory")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TerritoryView(
        @Schema(examples = "COMMUNE:69123") String id,
        @Schema(enumeration = {
                "REGION", "DEPARTEMENT", "COMMUNE", "EPCI" }, examples = "COMMUNE") String kind,
        @Schema(description = "INSEE code (region, département, commune) or SIREN (EPCI)", examples = "69123") String code,
        @Schema(examples = "Lyon") String name,
        @Schema(description = "metro, drom or com (overseas collectivity)", examples = "metro") String zone,
        @Schema(examples = "84") String regionCode,
        @Schema(examples = "69") String departementCode,
        @Schema(description = "Communes: their EPCI à fiscalité propre (null for the island communes and overseas collectivities)", examples = "200046977") String epciSiren,
        @Schema(description = "Communes of the Grand Paris: their établissement public territorial") String eptSiren,
        @Schema(description = "EPCI: its legal nature", examples = "MET69", enumeration = { "METRO", "MET69", "CU", "CA", "CC",
                "EPT" }) String epciNature,
        @Schema(description = "SIREN of the commune or EPCI", examples = "216901231") String siren,
        List<String> postcodes,
        Integer population,
        @Schema(description = "EPCI: number of member communes") Integer memberCount,
        @Schema(description = "Communes: INSEE codes this commune had before a merger (anciensCodes)") List<String> formerCodes,
        @Schema(description = "Data year that last stated this territory", examples = "2026") int millesime,
        @Schema(description = "True when a later data year removed the code") boolean retired,
        @Schema(description = "Communes that absorbed a retired commune") List<String> replacedBy,
        @Schema(description = "Housing-market tension (zonage ABC)", examples = "A") String tension,
        String tensionSource,
        @Schema(description = "Basins containing this territory (single reads only)") List<String> basinIds,
        @Schema(description = "Signed conventions covering this territory (single reads only)") List<String> coveredByConventions,
        long version){

    static TerritoryView of(TerritoryRepository.Row row, List<String> basins, List<String> coverage) {
        var t = row.territory();
        return new TerritoryView(t.id(), t.kind().name(), t.code(), t.name(), t.zone(), t.regionCode(),
                t.departementCode(), t.epciSiren(), t.eptSiren(), t.epciNature(), t.siren(), t.postcodes(),
                t.population(), t.memberCommunes().isEmpty() ? null : t.memberCommunes().size(),
                t.formerCodes().isEmpty() ? null : t.formerCodes(), t.millesime(), t.retired(),
                t.replacedBy().isEmpty() ? null : t.replacedBy(), row.tension(), row.tensionSource(), basins, coverage,
                row.version());
    }
}
