package fr.actionlogement.territorial.conventions.api;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.conventions.domain.PartyType;

/** Bodies of the device catalogue. */
public final class DeviceDtos {

    static final String CODE = "[A-Z][A-Z0-9_]{1,63}";

    private DeviceDtos() {
    }

    @Schema(name = "DeviceRequest", description = "A device the UESL adds to its catalogue")
    public record DeviceRequest(
            @NotBlank @Pattern(regexp = CODE, message = "upper snake case") @Schema(examples = "MOBILI_PASS") String code,
            @NotBlank @Size(max = 200) @Schema(examples = "MOBILI-PASS") String label,
            @Schema(description = "R-09: the Action Logement body that runs the device, when one specific body does"
                    + " (it must then sign the conventions citing it); absent when any CIL may") PartyType runBy,
            @Schema(description = "R-10: its products are capped by the CILs' envelopes and never prescribed by a"
                    + " local authority; a contingent device names at least one product code") Boolean contingent,
            @Size(max = 20) @Schema(description = "Product codes financial commitments use for this device (R-10);"
                    + " each product belongs to one device") List<@NotNull @Pattern(regexp = CODE, message = "upper snake case") String> productCodes) {
    }

    @Schema(name = "DeviceUpdate", description = "The device's new definition (its code stays)")
    public record DeviceUpdate(
            @NotBlank @Size(max = 200) @Schema(examples = "MOBILI-PASS") String label,
            PartyType runBy,
            Boolean contingent,
            @Size(max = 20) List<@NotNull @Pattern(regexp = CODE, message = "upper snake case") String> productCodes) {
    }

    @Schema(name = "CatalogueDevice", description = "A device of the UESL's catalogue (R-04, R-09, R-10)")
    public record DeviceView(@Schema(required = true) String code, @Schema(required = true) String label,
            PartyType runBy, boolean contingent, List<String> productCodes,
            @Schema(description = "The device's revision (its ETag)") long revision, OffsetDateTime updatedAt,
            String updatedBy) {
    }
}
