package fr.actionlogement.territorial.conventions.api;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What a partner must send but cannot guess from a bare {@code string}: the codes of the content records (which stay
 * free of OpenAPI annotations in the domain package) are described here, with their format and examples. A code the
 * server checks against a closed list is an enum in its own type ({@code PartyType}, {@code PublicPrioritaire});
 * a device is a code of the UESL's catalogue (schema {@code Device}, mp.openapi.schema in application.properties);
 * these are the open or catalogued ones.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class PartnerCodesFilter implements OASFilter {

    static final String PARTY_KEY_PATTERN = "^(CIL|FILIALE|UESL|FONCIERE_LOGEMENT|APAGL|CONFERENCE_TERRITORIALE"
            + "|COLLECTIVITE|AUTRE):\\S+$";

    private static final String PARTY_ID = "Who the party is, by its type: CIL and FILIALE, the SIREN registered in"
            + " territories-service (a FILIALE is a CIL registered with a parentCilId); COLLECTIVITE, the SIREN of the"
            + " EPCI (or the INSEE code of a commune); CONFERENCE_TERRITORIALE, the id of the basin's installed"
            + " conférence territoriale (e.g. CT:grenoble:protocole-cadre-2013); UESL, FONCIERE_LOGEMENT and APAGL are one"
            + " body each: send the type itself (UESL, FONCIERE_LOGEMENT, APAGL), so their actions are named UESL:UESL,"
            + " FONCIERE_LOGEMENT:FONCIERE_LOGEMENT, APAGL:APAGL; AUTRE, a short stable id of your choice (e.g. CLLAJ).";

    private static final String PRODUCT = "A product code (R-10). Contingent products are the productCodes of the"
            + " contingent devices of the UESL's device catalogue (GET /api/conventions/devices; seeded: PASS_FONCIER)."
            + " An envelope on another product is refused (422 R-10); a commitment on a non-contingent product is not"
            + " capped by an envelope.";

    private static final String CIL_ID = "SIREN (9 digits) of the CIL as registered in territories-service"
            + " (GET /api/territories/cils); a FILIALE commits under its own SIREN.";

    private static final Map<String, Map<String, Property>> PROPERTIES = Map.ofEntries(
            Map.entry("Section", Map.of("code", new Property("Section code, upper snake case. The 2011 minimum canvas (R-05)"
                    + " needs, with text, before submission and signature of a TERRITORIALE convention:"
                    + " CIL_INTERVENTIONS_OFFRE, VALORISATION_EMPLOI_MOBILITE, ENGAGEMENTS_COLLECTIVITE_OFFRE,"
                    + " ENGAGEMENTS_COLLECTIVITE_INSTANCES; any other code is a free section (e.g. OBJECTIFS_PARTAGES"
                    + " in a CADRE_DE_TERRITOIRE).", null, List.of("CIL_INTERVENTIONS_OFFRE")),
                    "title", new Property("Heading shown for the section (free text)", null, null),
                    "text", new Property("The section's negotiated text (free text); a canvas section (R-05) must have"
                            + " some before submission and signature", null, null))),
            Map.entry("PartyAction",
                    Map.of("partyKey", new Property("The acting party as TYPE:id, where TYPE is a PartyType and"
                            + " id the partyId of a signatory or partner of the same content (R-13), e.g. CIL:784301275,"
                            + " COLLECTIVITE:200046977, AUTRE:CLLAJ. " + "See Signatory.partyId for the ids.",
                            PARTY_KEY_PATTERN, List.of("CIL:784301275")),
                            "description", new Property("What the party does for these publics (free text)", null, null))),
            Map.entry("Signatory", Map.of("partyId", new Property(PARTY_ID, null, List.of("784301275")),
                    "name", new Property("The party's name as written on the convention (free text)", null,
                            List.of("CIL Rhône-Alpes")),
                    "ueslConcertation", new Property("Reference of the UESL's recorded agreement; required (R-07) for a"
                            + " CIL not present on the territory, its subsidiaries, FONCIERE_LOGEMENT and APAGL.", null,
                            List.of("UESL-2011-042")))),
            Map.entry("Partner", Map.of("partyId", new Property(PARTY_ID + " Partners are AUTRE or COLLECTIVITE only (R-13).",
                    null, List.of("CLLAJ")),
                    "name", new Property("The partner's name (free text)", null, List.of("CLLAJ de Lyon")),
                    "role", new Property("What the partner brings to the charter (free text)", null,
                            List.of("Accompagnement des jeunes actifs")))),
            Map.entry("FinancialCommitment", Map.of("product", new Property(PRODUCT, null, List.of("PASS_FONCIER")),
                    "cilId", new Property(CIL_ID, null, List.of("775574166")))),
            Map.entry("EnvelopeRequest", Map.of("product", new Property(PRODUCT, null, List.of("PASS_FONCIER")),
                    "cilId", new Property(CIL_ID, null, List.of("775574166")))),
            Map.entry("Objective", Map.of("indicator", new Property("Indicator code, upper snake case: an open list, not"
                    + " checked by this service. Use the codes of the observatory's catalogue (GET"
                    + " /api/observatory/indicators, e.g. CONSTRUCTION_NEUVE, DEMANDES_LOGEMENT_SALARIES): the"
                    + " observatory compares an objective with the observations of the same indicator (R-44). At most"
                    + " one objective per indicator, public and year (R-06).", null, List.of("CONSTRUCTION_NEUVE")),
                    "objectiveId", new Property("Omit it for a new objective (the server assigns one); send the id of"
                            + " an existing objective to keep it, and its achievements, in a revised content. An id the"
                            + " convention does not have is refused (400).", null, null))),
            Map.entry("ReservationCost", Map.of("category", new Property("Dwelling category, by its financing: e.g."
                    + " PLUS, PLAI, PLS (an open list). R-11 compares each category's unit cost with the same category"
                    + " in the territory's previous convention.", null, List.of("PLUS")))),
            Map.entry("ConventionContent", Map.of("plhReference", new Property("Reference of the local housing"
                    + " programme (PLH) of the EPCI the objectives are consistent with (R-15), free text", null,
                    List.of("PLH Métropole de Lyon 2007-2013")),
                    "title", new Property("Title of the convention (free text)", null, null))),
            Map.entry("CommunicationPlan", Map.of("needsStudies", new Property("R-12: how the needs studies are"
                    + " communicated to the parties (free text)", null, null),
                    "financingPublicity", new Property("R-12: the publicity rules for Action Logement financing (free"
                            + " text)", null, null))),
            Map.entry("ProposeConvention", Map.of("campaignId", new Property("Id of an open campaign (GET"
                    + " /api/conventions/campaigns); R-01", null, null),
                    "territoryId", new Property("The territory proposed, as KIND:code from territories-service's"
                            + " reference: EPCI:<SIREN>, BASSIN:<id>, COMMUNE:<INSEE code>, DEPARTEMENT:<code>,"
                            + " REGION:<code>", null, null),
                    "templateId", new Property("Id of a convention template (GET /api/conventions/templates) whose"
                            + " given version is published; R-04", null, null))));

    /**
     * Fields every body must send, though the domain records carry no annotation: the server refuses the content
     * (400, the field named) without them, so a generated client must make them required.
     */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "Section", List.of("code"),
            "Signatory", List.of("partyType", "partyId"),
            "Partner", List.of("partyType", "partyId", "name"),
            "PartyAction", List.of("partyKey", "device"),
            "FinancialCommitment", List.of("cilId", "product", "year", "amount"),
            "Objective", List.of("indicator", "publicPrioritaire", "year", "target"));

    private record Property(String description, String pattern, List<Object> examples) {
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        PROPERTIES.forEach((schemaName, properties) -> {
            Schema schema = openAPI.getComponents().getSchemas().get(schemaName);
            if (schema == null || schema.getProperties() == null) {
                return;
            }
            properties.forEach((name, p) -> {
                Schema property = schema.getProperties().get(name);
                if (property == null) {
                    return;
                }
                property.setDescription(p.description());
                if (p.pattern() != null) {
                    property.setPattern(p.pattern());
                }
                if (p.examples() != null) {
                    property.setExamples(p.examples());
                }
            });
        });
        REQUIRED.forEach((schemaName, names) -> {
            Schema schema = openAPI.getComponents().getSchemas().get(schemaName);
            if (schema == null || schema.getProperties() == null) {
                return;
            }
            for (String name : names) {
                Schema property = schema.getProperties().get(name);
                if (property == null) {
                    continue;
                }
                if (schema.getRequired() == null || !schema.getRequired().contains(name)) {
                    schema.addRequired(name);
                }
                notNull(property);
            }
        });
    }

    /** A required property is never null (whichever filter ran first). */
    private static void notNull(Schema property) {
        if (property.getType() != null && property.getType().contains(Schema.SchemaType.NULL)) {
            property.setType(property.getType().stream().filter(t -> t != Schema.SchemaType.NULL).toList());
        }
        List<Schema> anyOf = property.getAnyOf();
        if (anyOf != null && anyOf.size() == 2) {
            List<Schema> kept = anyOf.stream().filter(a -> a.getType() == null
                    || !a.getType().equals(List.of(Schema.SchemaType.NULL))).toList();
            if (kept.size() == 1) {
                Schema only = kept.get(0);
                property.setAnyOf(null);
                if (only.getRef() != null) {
                    property.setRef(only.getRef());
                } else {
                    property.setType(only.getType());
                    property.setEnumeration(only.getEnumeration());
                    property.setFormat(only.getFormat());
                }
            }
        }
    }
}
