package fr.actionlogement.territorial.conventions.domain;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Port and value: the UESL's device catalogue as the rules read it (R-04 a cited device is in it, R-09 the body that
 * runs a device signs, R-10 the contingent products). The service reads the current catalogue once per use case.
 */
public final class DeviceCatalogue {

    private final Map<String, DeviceDefinition> byCode = new LinkedHashMap<>();
    private final Map<String, DeviceDefinition> byProduct = new LinkedHashMap<>();

    private DeviceCatalogue(Collection<DeviceDefinition> devices) {
        for (DeviceDefinition d : devices) {
            byCode.put(d.code(), d);
            d.productCodes().forEach(p -> byProduct.put(p, d));
        }
    }

    /**
     * The devices the seeds name, as migration V5__device_catalogue.sql writes them: the 2011 note's "grandes lignes"
     * (foncier, PLUS/PLAI/PLS, small dwellings for the young, intermédiation locative, GRL run by APAGL, uses directed
     * at individual employees), Foncière Logement's own programmes, the 2013 protocol's devices, and PASS-FONCIER,
     * the contingent product of the note.
     */
    public static final List<DeviceDefinition> SEEDS = List.of(
            seed("MISE_A_DISPOSITION_FONCIER", "Mise à disposition de fonciers", null),
            seed("CONSTRUCTION_PLUS_PLAI_PLS", "Construction à loyers PLUS/PLAI ou intermédiaires PLS", null),
            seed("PETITS_LOGEMENTS_JEUNES", "Petits logements à loyers accessibles aux jeunes", null),
            seed("INTERMEDIATION_LOCATIVE", "Intermédiation locative", null),
            seed("GRL", "Garantie des risques locatifs", PartyType.APAGL),
            seed("EMPLOIS_PERSONNES_PHYSIQUES", "Emplois orientés vers les personnes physiques", null),
            seed("LOGEMENTS_FONCIERE_LOGEMENT", "Programmes de logements de Foncière Logement",
                    PartyType.FONCIERE_LOGEMENT),
            seed("PRODUCTION_LOGEMENT_SOCIAL", "Production de logements sociaux", null),
            seed("LOGEMENT_PRIVE_INTERMEDIAIRE", "Logements privés intermédiaires", null),
            seed("ACCESSION_SOCIALE_LOCATION_ACCESSION", "Accession sociale à la propriété et location-accession",
                    null),
            seed("OPERATIONS_INNOVANTES", "Opérations innovantes", null),
            seed("ACCUEIL_SPECIFIQUE", "Accueil spécifique", null),
            seed("ACCOMPAGNEMENT_ENTREPRISES", "Accompagnement des entreprises", null),
            new DeviceDefinition("PASS_FONCIER", "PASS-FONCIER", null, true, List.of("PASS_FONCIER")));

    private static DeviceDefinition seed(String code, String label, PartyType runBy) {
        return new DeviceDefinition(code, label, runBy, false, List.of());
    }

    /** The catalogue as the seeds define it (before any change by the UESL). */
    public static DeviceCatalogue seeded() {
        return of(SEEDS);
    }

    public static DeviceCatalogue of(Collection<DeviceDefinition> devices) {
        return new DeviceCatalogue(devices);
    }

    public Optional<DeviceDefinition> device(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /** The device a financial commitment's product belongs to, if the catalogue lists the product. */
    public Optional<DeviceDefinition> deviceOfProduct(String productCode) {
        return Optional.ofNullable(byProduct.get(productCode));
    }

    /** the product codes of the contingent devices. */
    public Set<String> contingentProducts() {
        Set<String> products = new TreeSet<>();
        byCode.values().stream().filter(DeviceDefinition::contingent).forEach(d -> products.addAll(d.productCodes()));
        return products;
    }

    /** a cited device must be in the catalogue. */
    public DeviceDefinition require(Device device, String where) {
        return device(device.code()).orElseThrow(() -> RuleViolation.refused("R-04", where + ": device "
                + device.code() + " is not in the UESL's device catalogue (GET /api/conventions/devices)"));
    }
}
