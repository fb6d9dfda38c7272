package fr.actionlogement.territorial.conventions.domain;

import java.util.List;
import java.util.Map;

/**
 * issue 15 point 8: the UESL's layout of the convention document for one kind of convention, one published
 * and immutable version: the heading, the reference text, the fixed preamble and closing paragraphs, the headings of
 * the document's parts, and the titles of the canvas sections by code. The negotiated content, the signatories
 * and the objectives come from the convention itself.
 */
public record DocumentTemplate(ConventionKind kind, int version, String heading, String reference,
        List<String> preamble, Headings headings, Map<String, String> sectionTitles, List<String> closing) {

    public DocumentTemplate {
        preamble = Values.list(preamble);
        closing = Values.list(closing);
        sectionTitles = sectionTitles == null ? Map.of() : Map.copyOf(sectionTitles);
    }

    /** The headings of the document's parts, in the order the document shows them. */
    public record Headings(String parties, String content, String devices, String objectives, String actions,
            String partners, String commitments, String reservationCosts, String communication, String signatures) {
    }

    /** The title of a negotiated section: the template's title for its code, else the section's own, else the code. */
    public String titleOf(Section section) {
        String byTemplate = section.code() == null ? null : sectionTitles.get(section.code());
        if (!Values.blank(byTemplate)) {
            return byTemplate;
        }
        return Values.blank(section.title()) ? Values.blank(section.code()) ? "" : section.code() : section.title();
    }

    public DocumentTemplate withVersion(int next) {
        return new DocumentTemplate(kind, next, heading, reference, preamble, headings, sectionTitles, closing);
    }
}
