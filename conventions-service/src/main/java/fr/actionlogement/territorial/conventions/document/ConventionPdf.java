package fr.actionlogement.territorial.conventions.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.pdfbox.pdmodel.PDDocumentInformation;

import fr.actionlogement.territorial.conventions.document.PdfLayout.Style;
import fr.actionlogement.territorial.conventions.domain.ConventionContent;
import fr.actionlogement.territorial.conventions.domain.ConventionSnapshot;
import fr.actionlogement.territorial.conventions.domain.DocumentTemplate;
import fr.actionlogement.territorial.conventions.domain.DocumentTemplate.Headings;
import fr.actionlogement.territorial.conventions.domain.FinancialCommitment;
import fr.actionlogement.territorial.conventions.domain.Objective;
import fr.actionlogement.territorial.conventions.domain.Partner;
import fr.actionlogement.territorial.conventions.domain.PartyAction;
import fr.actionlogement.territorial.conventions.domain.ReservationCost;
import fr.actionlogement.territorial.conventions.domain.Section;
import fr.actionlogement.territorial.conventions.domain.Signatory;

/**
 * Writes the convention document (issue 15 point 8) from a convention as it stands and the UESL's document template
 * for its kind: the heading and the convention's identity, the preamble, the parties (its signatories), the negotiated
 * sections under the template's titles (the R-05 canvas), the devices, the quantified objectives, what each
 * party does, the other partners, the financial commitments, the reservation costs, the
 * communication plan, the closing paragraphs, and a signature block per signatory. A part with nothing in it is
 * left out, except the parties, the content and the objectives. The same input gives the same text.
 */
public final class ConventionPdf {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** Why a document was generated: the step of the convention's life it records. */
    public enum Stage {
        SUBMITTED_FOR_SIGNATURE,
        SIGNED,
        AMENDED
    }

    private static final Map<String, String> PARTY_TYPES = Map.of("CIL", "CIL", "FILIALE", "Filiale de CIL", "UESL",
            "UESL", "FONCIERE_LOGEMENT", "Foncière Logement", "APAGL", "APAGL", "CONFERENCE_TERRITORIALE",
            "Conférence territoriale", "COLLECTIVITE", "Collectivité", "AUTRE", "Partenaire");

    private static final Map<String, String> PUBLICS = Map.of("JEUNES_SALARIES", "jeunes salariés",
            "SALARIES_EN_MOBILITE", "salariés en mobilité", "SALARIES_PRECAIRES_MODESTES",
            "salariés à statut précaire et/ou à revenus modestes", "ACCESSION_SOCIALE_INTERMEDIAIRES",
            "accession sociale des salariés à revenus intermédiaires");

    private static final Map<String, String> DEVICES = Map.ofEntries(
            Map.entry("MISE_A_DISPOSITION_FONCIER", "Mise à disposition de fonciers ou orientations foncières"),
            Map.entry("CONSTRUCTION_PLUS_PLAI_PLS",
                    "Construction de logements à faibles loyers (PLUS/PLAI) ou à loyers intermédiaires PLS"),
            Map.entry("PETITS_LOGEMENTS_JEUNES", "Petits logements à loyers accessibles aux jeunes"),
            Map.entry("INTERMEDIATION_LOCATIVE", "Intermédiation locative"),
            Map.entry("GRL", "Garantie des risques locatifs (GRL)"),
            Map.entry("EMPLOIS_PERSONNES_PHYSIQUES", "Emplois orientés vers les personnes physiques"),
            Map.entry("LOGEMENTS_FONCIERE_LOGEMENT", "Logements de la Foncière Logement"),
            Map.entry("PRODUCTION_LOGEMENT_SOCIAL", "Production de logements sociaux"),
            Map.entry("LOGEMENT_PRIVE_INTERMEDIAIRE", "Logements privés intermédiaires"),
            Map.entry("ACCESSION_SOCIALE_LOCATION_ACCESSION", "Accession sociale à la propriété et location-accession"),
            Map.entry("OPERATIONS_INNOVANTES", "Opérations innovantes"),
            Map.entry("ACCUEIL_SPECIFIQUE", "Accueil spécifique"),
            Map.entry("ACCOMPAGNEMENT_ENTREPRISES", "Accompagnement des entreprises"));

    private ConventionPdf() {
    }

    /** The PDF of {@code c} as document number {@code number}; {@code reason} is the amendment's, if any. */
    public static byte[] render(ConventionSnapshot c, DocumentTemplate template, Stage stage, int number,
            String reason, Instant generatedAt) {
        try (PdfLayout pdf = new PdfLayout()) {
            ConventionContent content = c.content();
            Headings h = template.headings();
            String title = blank(content.title()) ? template.heading() : content.title();
            info(pdf, c, template, title, generatedAt);

            pdf.text(template.heading(), Style.BOLD, 18, 0);
            pdf.space(4);
            pdf.text(title, Style.BOLD, 13, 0);
            if (!blank(template.reference())) {
                pdf.space(2);
                pdf.text(template.reference(), Style.ITALIC, 9, 0);
            }
            pdf.space(6);
            pdf.text("Territoire : " + c.territoryName() + " (" + c.territoryId() + ")", Style.REGULAR, 10, 0);
            pdf.text("Campagne : " + c.campaignId() + " ; période " + content.periodStartYear() + "-"
                    + content.periodEndYear(), Style.REGULAR, 10, 0);
            pdf.text("Convention n° " + c.conventionId() + ", version " + c.version(), Style.REGULAR, 10, 0);
            pdf.text(stageLine(c, stage, reason), Style.BOLD, 10, 0);
            pdf.text("Modèle de contenu " + c.templateId() + " v" + c.templateVersion() + " ; modèle de document "
                    + template.kind() + " v" + template.version() + " ; document n° " + number + " du "
                    + DATE.format(generatedAt.atZone(PARIS)), Style.ITALIC, 8, 0);

            if (!template.preamble().isEmpty()) {
                pdf.heading("Préambule", 13);
                for (String paragraph : template.preamble()) {
                    pdf.text(paragraph, Style.REGULAR, 10, 0);
                    pdf.space(4);
                }
            }

            Map<String, String> names = names(content);
            int part = 0;
            pdf.heading(++part + ". " + h.parties(), 13);
            for (Signatory s : content.signatories()) {
                pdf.text(party(s) + (s.presentOnly() ? " ; présente à la signature" : ""), Style.REGULAR, 10, 14,
                        "-");
            }
            if (content.signatories().isEmpty()) {
                pdf.text("(aucun signataire)", Style.ITALIC, 10, 14);
            }

            pdf.heading(++part + ". " + h.content(), 13);
            int s = 0;
            for (Section section : content.sections()) {
                pdf.text(part + "." + ++s + " " + template.titleOf(section), Style.BOLD, 11, 0);
                pdf.text(blank(section.text()) ? "(à compléter)" : section.text(), Style.REGULAR, 10, 0);
                pdf.space(4);
            }
            if (!blank(content.plhReference())) {
                pdf.text("Programme local de l'habitat : " + content.plhReference(), Style.REGULAR, 10, 0);
            }

            if (!content.devices().isEmpty()) {
                pdf.heading(++part + ". " + h.devices(), 13);
                for (Object device : content.devices()) {
                    pdf.text(device(device), Style.REGULAR, 10, 14, "-");
                }
            }

            pdf.heading(++part + ". " + h.objectives(), 13);
            for (Objective o : content.objectives()) {
                pdf.text(objective(o), Style.REGULAR, 10, 14, "-");
            }
            if (content.objectives().isEmpty()) {
                pdf.text("(aucun objectif chiffré)", Style.ITALIC, 10, 14);
            }

            if (!content.actions().isEmpty()) {
                pdf.heading(++part + ". " + h.actions(), 13);
                for (PartyAction a : content.actions()) {
                    pdf.text(action(a, names), Style.REGULAR, 10, 14, "-");
                }
            }
            if (!content.partners().isEmpty()) {
                pdf.heading(++part + ". " + h.partners(), 13);
                for (Partner p : content.partners()) {
                    pdf.text(p.name() + " (" + type(p.partyType()) + ")" + (blank(p.role()) ? "" : " : " + p.role()),
                            Style.REGULAR, 10, 14, "-");
                }
            }
            if (!content.commitments().isEmpty()) {
                pdf.heading(++part + ". " + h.commitments(), 13);
                for (FinancialCommitment f : content.commitments()) {
                    pdf.text(commitment(f, names), Style.REGULAR, 10, 14, "-");
                }
            }
            if (!content.reservationCosts().isEmpty()) {
                pdf.heading(++part + ". " + h.reservationCosts(), 13);
                for (ReservationCost r : content.reservationCosts()) {
                    pdf.text(r.category() + " : " + r.unitCostEuros() + " € par logement réservé", Style.REGULAR, 10,
                            14, "-");
                }
                if (!blank(c.signatureJustification())) {
                    pdf.text("Justification de l'évolution des coûts : " + c.signatureJustification(), Style.ITALIC,
                            10, 14);
                }
            }
            if (content.communicationPlan() != null) {
                pdf.heading(++part + ". " + h.communication(), 13);
                if (!blank(content.communicationPlan().needsStudies())) {
                    pdf.text("Communication des études de besoins : " + content.communicationPlan().needsStudies(),
                            Style.REGULAR, 10, 14, "-");
                }
                if (!blank(content.communicationPlan().financingPublicity())) {
                    pdf.text("Publicité des financements d'Action Logement : "
                            + content.communicationPlan().financingPublicity(), Style.REGULAR, 10, 14, "-");
                }
            }

            if (!template.closing().isEmpty()) {
                pdf.space(8);
                for (String paragraph : template.closing()) {
                    pdf.text(paragraph, Style.REGULAR, 10, 0);
                    pdf.space(4);
                }
            }

            pdf.heading(++part + ". " + h.signatures(), 13);
            if (c.signedOn() != null) {
                pdf.text("Signée le " + DATE.format(c.signedOn()), Style.REGULAR, 10, 0);
            }
            for (Signatory sig : content.signatories()) {
                pdf.text((sig.presentOnly() ? "En présence de " : "Pour ") + sig.name() + " (" + type(sig.partyType())
                        + ")", Style.BOLD, 10, 0);
                pdf.signatureLine(0);
            }

            return pdf.finish("Convention n° " + c.conventionId() + ", version " + c.version() + " ; document n° "
                    + number);
        } catch (IOException e) {
            throw new UncheckedIOException("the convention document could not be written", e);
        }
    }

    private static void info(PdfLayout pdf, ConventionSnapshot c, DocumentTemplate template, String title,
            Instant generatedAt) {
        PDDocumentInformation info = pdf.document().getDocumentInformation();
        info.setTitle(title);
        info.setSubject(template.heading() + " " + c.conventionId() + " v" + c.version());
        info.setAuthor("Action Logement - UESL");
        info.setCreator("conventions-service");
        GregorianCalendar at = GregorianCalendar.from(generatedAt.atZone(PARIS));
        info.setCreationDate(at);
        info.setModificationDate(at);
    }

    private static String stageLine(ConventionSnapshot c, Stage stage, String reason) {
        return switch (stage) {
            case SUBMITTED_FOR_SIGNATURE -> "Projet soumis à la signature des parties";
            case SIGNED -> "Convention signée" + (c.signedOn() == null ? "" : " le " + DATE.format(c.signedOn()));
            case AMENDED -> "Avenant : version " + c.version() + " de la convention signée"
                    + (c.signedOn() == null ? "" : " le " + DATE.format(c.signedOn()))
                    + (blank(reason) ? "" : ". Motif : " + reason);
        };
    }

    /** Party keys (TYPE:id) to the names the content gives them. */
    private static Map<String, String> names(ConventionContent content) {
        Map<String, String> names = new java.util.HashMap<>();
        for (Partner p : content.partners()) {
            names.put(p.key(), p.name());
        }
        for (Signatory s : content.signatories()) {
            names.put(s.key(), s.name());
        }
        return names;
    }

    private static String party(Signatory s) {
        return s.name() + " ; " + type(s.partyType()) + (blank(s.partyId()) ? "" : " (" + s.partyId() + ")");
    }

    private static String type(Object partyType) {
        String name = String.valueOf(partyType);
        return PARTY_TYPES.getOrDefault(name, name);
    }

    private static String device(Object device) {
        String name = String.valueOf(device);
        return DEVICES.getOrDefault(name, name);
    }

    private static String objective(Objective o) {
        List<String> parts = new ArrayList<>();
        parts.add(o.indicator());
        if (o.publicPrioritaire() != null) {
            parts.add(PUBLICS.getOrDefault(o.publicPrioritaire().name(), o.publicPrioritaire().name()));
        }
        if (o.year() != null) {
            parts.add(String.valueOf(o.year()));
        }
        return String.join(", ", parts) + " : objectif " + o.target();
    }

    private static String action(PartyAction a, Map<String, String> names) {
        String who = names.getOrDefault(a.partyKey(), a.partyKey());
        String publics = a.publics() == null || a.publics().isEmpty() ? ""
                : " ; publics : " + a.publics().stream().map(p -> PUBLICS.getOrDefault(p.name(), p.name()))
                        .collect(Collectors.joining(", "));
        return who + " : " + (a.device() == null ? "" : device(a.device())) + publics
                + (blank(a.description()) ? "" : " ; " + a.description());
    }

    private static String commitment(FinancialCommitment f, Map<String, String> names) {
        String who = names.getOrDefault("CIL:" + f.cilId(), names.getOrDefault("FILIALE:" + f.cilId(), f.cilId()));
        return who + " : " + f.product() + (f.year() == null ? "" : " " + f.year()) + ", " + f.amount()
                + (f.collective() ? " (engagement collectif non individualisé)" : "")
                + (f.prescriber() == null ? "" : " ; prescripteur : " + type(f.prescriber()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
