package fr.actionlogement.territorial.client.conventions.model;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Written by hand, not generated: the documents' {@code Device} is an open code of the UESL's device catalogue
 * (a string, GET /api/conventions/devices), which OpenAPI Generator would turn into a bare String. This type keeps a
 * client's code reading like the closed enum it replaced ({@code Device.GRL}) while accepting any code the
 * catalogue gains. Mapped in place of the schema by {@code schemaMappings} (clients/java/pom.xml), for the
 * conventions document and the merged one.
 */
public final class Device {

    public static final Device MISE_A_DISPOSITION_FONCIER = new Device("MISE_A_DISPOSITION_FONCIER");
    public static final Device CONSTRUCTION_PLUS_PLAI_PLS = new Device("CONSTRUCTION_PLUS_PLAI_PLS");
    public static final Device PETITS_LOGEMENTS_JEUNES = new Device("PETITS_LOGEMENTS_JEUNES");
    public static final Device INTERMEDIATION_LOCATIVE = new Device("INTERMEDIATION_LOCATIVE");
    public static final Device GRL = new Device("GRL");
    public static final Device EMPLOIS_PERSONNES_PHYSIQUES = new Device("EMPLOIS_PERSONNES_PHYSIQUES");
    public static final Device LOGEMENTS_FONCIERE_LOGEMENT = new Device("LOGEMENTS_FONCIERE_LOGEMENT");
    public static final Device PRODUCTION_LOGEMENT_SOCIAL = new Device("PRODUCTION_LOGEMENT_SOCIAL");
    public static final Device LOGEMENT_PRIVE_INTERMEDIAIRE = new Device("LOGEMENT_PRIVE_INTERMEDIAIRE");
    public static final Device ACCESSION_SOCIALE_LOCATION_ACCESSION = new Device("ACCESSION_SOCIALE_LOCATION_ACCESSION");
    public static final Device OPERATIONS_INNOVANTES = new Device("OPERATIONS_INNOVANTES");
    public static final Device ACCUEIL_SPECIFIQUE = new Device("ACCUEIL_SPECIFIQUE");
    public static final Device ACCOMPAGNEMENT_ENTREPRISES = new Device("ACCOMPAGNEMENT_ENTREPRISES");
    public static final Device PASS_FONCIER = new Device("PASS_FONCIER");

    private final String code;

    private Device(String code) {
        this.code = Objects.requireNonNull(code, "code");
    }

    @JsonCreator
    public static Device fromValue(String code) {
        return new Device(code);
    }

    /** The code, as the generated enum's {@code getValue()}. */
    @JsonValue
    public String getValue() {
        return code;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.code.equals(code);
    }

    @Override
    public int hashCode() {
        return code.hashCode();
    }

    @Override
    public String toString() {
        return code;
    }
}
