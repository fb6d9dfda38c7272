package fr.actionlogement.territorial.conventions.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The document's font shows French text as written and replaces what it cannot show, so generation never fails. */
class PdfTextTest {

    final PdfText helvetica = new PdfText(new PDType1Font(Standard14Fonts.FontName.HELVETICA));

    @Test
    @DisplayName("French text is shown as written: accents, œ, Œ, «», the euro sign, the typographic apostrophe")
    void frenchTextAsWritten() {
        String french = "Métropole de Saint-Étienne : cœur, ŒUVRE, « à côté », 5 000 €, l’élu, ça, où, naïf, Île";
        assertThat(helvetica.showable(french)).isEqualTo(french);
    }

    @Test
    @DisplayName("what the font cannot show is replaced: spaces by a space, ligatures spelled out, foreign accents dropped, the rest by ?")
    void replacedNotFailing() {
        assertThat(helvetica.showable("5\u202F000\u2009€")).isEqualTo("5 000 €");
        assertThat(helvetica.showable("5\u00A0€")).as("the encoding has the no-break space").isEqualTo("5\u00A0€");
        assertThat(helvetica.showable("\uFB01nancement → bassin")).isEqualTo("financement -> bassin");
        assertThat(helvetica.showable("Győr, Constanța")).isEqualTo("Gyor, Constanta");
        assertThat(helvetica.showable("東京 😀")).isEqualTo("?? ?");
        assertThat(helvetica.showable("a\u0000b\u200Bc")).isEqualTo("abc");
    }

    @Test
    @DisplayName("lines break between words within the width; a word longer than a line is cut")
    void wrapping() throws Exception {
        List<String> lines = helvetica.lines("Les chartes territoriales ont pour vocation d'établir une relation"
                + " de partenariat\nentre les collectivités locales", 10, 150);
        assertThat(lines).hasSizeGreaterThan(2);
        for (String line : lines) {
            assertThat(helvetica.width(line, 10)).isLessThanOrEqualTo(150);
        }
        assertThat(String.join(" ", lines)).isEqualTo("Les chartes territoriales ont pour vocation d'établir une"
                + " relation de partenariat entre les collectivités locales");
        List<String> cut = helvetica.lines("x".repeat(200), 10, 50);
        assertThat(String.join("", cut)).isEqualTo("x".repeat(200));
        assertThat(cut).allSatisfy(l -> assertThat(helvetica.width(l, 10)).isLessThanOrEqualTo(50));
    }

    @Test
    @DisplayName("a text's width is the one PDFBox measures for the whole string (per-character widths, cached)")
    void widthAsPdfBoxMeasures() throws Exception {
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        String text = helvetica.showable("Œuvre « Logement des salariés » : 12 500 € — élan, façade, naïf");
        for (int round = 0; round < 2; round++) { // measured, then from the cache
            assertThat(helvetica.width(text, 11)).isCloseTo(font.getStringWidth(text) / 1000f * 11,
                    org.assertj.core.data.Offset.offset(0.001f));
        }
    }

    @Test
    @DisplayName("each line is as full as the width allows: the next line's first word would not have fitted")
    void greedy() throws Exception {
        String paragraph = "Le présent accord définit les engagements réciproques du comité interprofessionnel du"
                + " logement et de la collectivité locale en matière de logement des salariés, pour la durée"
                + " de la convention et dans le respect des orientations arrêtées par l'UESL.";
        List<String> lines = helvetica.lines(paragraph, 11, 180);
        assertThat(lines).hasSizeGreaterThan(3);
        assertThat(String.join(" ", lines)).isEqualTo(paragraph);
        for (int i = 0; i + 1 < lines.size(); i++) {
            String nextWord = lines.get(i + 1).split(" ")[0];
            assertThat(helvetica.width(lines.get(i), 11)).isLessThanOrEqualTo(180);
            assertThat(helvetica.width(lines.get(i) + " " + nextWord, 11)).isGreaterThan(180);
        }
    }
}
