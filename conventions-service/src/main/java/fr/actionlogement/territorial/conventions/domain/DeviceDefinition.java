package fr.actionlogement.territorial.conventions.domain;

import java.util.List;
import java.util.Optional;

/**
 * One entry of the UESL's device catalogue: the device's code and label, the body that runs it
 * when one specific body does (R-09: that body must then sign), whether its products are contingent (R-10: capped
 * by the CILs' envelopes, never prescribed by a local authority), and the product codes financial commitments use.
 */
public record DeviceDefinition(String code, String label, PartyType runBy, boolean contingent,
        List<String> productCodes) {

    public DeviceDefinition {
        productCodes = Values.list(productCodes);
    }

    public Optional<PartyType> runningBody() {
        return Optional.ofNullable(runBy);
    }
}
