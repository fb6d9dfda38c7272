package fr.actionlogement.territorial.conventions.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An Action Logement device (dispositif) a convention or template cites, by its code in the UESL's device catalogue
 * (R-04, R-09, R-10; see {@link DeviceCatalogue}). On the wire a device is its code, a string: the codes of the
 * devices the seeds name stay what they were when the list was closed, so existing clients keep working. Whether a
 * code is known, which body runs the device and whether it is contingent is the catalogue's to say, not this type's.
 */
public record Device(String code) {

    /** Upper snake case, as every code of the conventions context. */
    public static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

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

    public Device {
        Objects.requireNonNull(code, "code");
    }

    /** A device by its code; a code not in upper snake case is invalid input (400), not an unknown device. */
    public static Device of(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("a device code is upper snake case (" + CODE.pattern() + "): " + code);
        }
        return new Device(code);
    }

    /** The code, as the closed enum this type replaced named it. */
    public String name() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
