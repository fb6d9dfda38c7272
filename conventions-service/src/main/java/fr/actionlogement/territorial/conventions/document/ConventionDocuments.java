package fr.actionlogement.territorial.conventions.document;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.conventions.document.ConventionPdf.Stage;
import fr.actionlogement.territorial.conventions.domain.ConventionSnapshot;
import fr.actionlogement.territorial.conventions.domain.ConventionStatus;
import fr.actionlogement.territorial.conventions.domain.DocumentTemplate;
import fr.actionlogement.territorial.conventions.persistence.ConventionDocumentEntity;
import fr.actionlogement.territorial.conventions.persistence.DocumentTemplateVersionEntity;

/**
 * Issue 15 point 8: generates and keeps the convention document. A document is written, in the transaction of the
 * transition, when the convention is submitted for signature (the text the parties are asked to sign), when it is
 * signed, and at each amendment (R-14: a new version of the convention, a new document); earlier documents stay as
 * they were. The document template in force for the convention's kind (its latest version) lays it out; the stored
 * row keeps which version did, the SHA-256 of the bytes and who made the change.
 */
@ApplicationScoped
public class ConventionDocuments {

    public static final String AGGREGATE = "ConventionDocument";

    @Inject
    Clock clock;
    @Inject
    AuditLog audit;

    /**
     * Called after a transition of the convention, in its transaction, with the convention's row locked: writes the
     * document the transition calls for, if any.
     */
    public Optional<ConventionDocumentEntity> afterTransition(String statusBefore, int versionBefore,
            ConventionSnapshot after, String reason, String by) {
        return stage(statusBefore, versionBefore, after).map(stage -> generate(after, stage, reason, by));
    }

    /** Which document a transition calls for: submission, signature, amendment; none for the others. */
    static Optional<Stage> stage(String statusBefore, int versionBefore, ConventionSnapshot after) {
        ConventionStatus now = after.status();
        if (now == ConventionStatus.READY_FOR_SIGNATURE && !now.name().equals(statusBefore)) {
            return Optional.of(Stage.SUBMITTED_FOR_SIGNATURE);
        }
        if (now == ConventionStatus.SIGNED && !now.name().equals(statusBefore)) {
            return Optional.of(Stage.SIGNED);
        }
        if (now == ConventionStatus.SIGNED && after.version() > versionBefore) {
            return Optional.of(Stage.AMENDED);
        }
        return Optional.empty();
    }

    ConventionDocumentEntity generate(ConventionSnapshot c, Stage stage, String reason, String by) {
        DocumentTemplate template = DocumentTemplateVersionEntity.latest(c.kind())
                .orElseThrow(() -> new IllegalStateException("no document template for " + c.kind())).document;
        Instant now = clock.instant();
        int number = ConventionDocumentEntity.nextNumber(c.conventionId());
        String why = stage == Stage.AMENDED ? reason : null;
        byte[] pdf = ConventionPdf.render(c, template, stage, number, why, now);
        String sha256 = sha256(pdf);
        ConventionDocumentEntity e = ConventionDocumentEntity.record(c.conventionId(), c.version(), stage.name(),
                c.status().name(), template.kind(), template.version(), reason, pdf, sha256, now, by);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("conventionId", c.conventionId());
        details.put("number", e.number);
        details.put("stage", stage.name());
        details.put("conventionVersion", c.version());
        details.put("template", template.kind() + " v" + template.version());
        details.put("sha256", sha256);
        audit.record(AGGREGATE, c.conventionId(), "GENERATED", reason, details);
        return e;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9530 / RFC 3230 digest value: the SHA-256 in base64. */
    public static String base64(String sha256Hex) {
        return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
    }
}
