package fr.actionlogement.territorial.conventions.domain;

import java.util.List;

/** one published, immutable version of a UESL content template (modèle). */
public record TemplateVersion(String templateId, int version, String name, ConventionKind kind,
        List<Section> sections, List<Device> suggestedDevices) {
}
