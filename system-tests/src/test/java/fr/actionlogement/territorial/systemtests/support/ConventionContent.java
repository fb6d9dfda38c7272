package fr.actionlogement.territorial.systemtests.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Pieces of a convention's content as the journeys and the harness send them (PUT /api/conventions/{id}/content). */
public final class ConventionContent {

    /** The four sections of the canvas, each with a short text of its own. */
    public static final List<String> CANVAS_SECTIONS = List.of("CIL_INTERVENTIONS_OFFRE",
            "VALORISATION_EMPLOI_MOBILITE", "ENGAGEMENTS_COLLECTIVITE_OFFRE", "ENGAGEMENTS_COLLECTIVITE_INSTANCES");

    private ConventionContent() {
    }

    /** Every section of the canvas, titled by its code, with the text {@code "Engagements <code>"}. */
    public static List<Map<String, Object>> canvas() {
        List<Map<String, Object>> sections = new ArrayList<>();
        for (String code : CANVAS_SECTIONS) {
            sections.add(Map.of("code", code, "title", code, "text", "Engagements " + code));
        }
        return sections;
    }

    /** A signatory that signs (not present only), named after its type and id. */
    public static Map<String, Object> signatory(String type, String id) {
        return Map.of("partyType", type, "partyId", id, "name", type + " " + id, "presentOnly", false);
    }

    /** A party's action with one device, for young employees. */
    public static Map<String, Object> action(String partyKey, String device) {
        return Map.of("partyKey", partyKey, "device", device, "publics", List.of("JEUNES_SALARIES"), "description",
                device);
    }
}
