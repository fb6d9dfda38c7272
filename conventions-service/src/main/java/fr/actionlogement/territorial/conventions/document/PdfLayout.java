package fr.actionlogement.territorial.conventions.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** A4 pages filled top to bottom with wrapped text; a new page when one is full; footers written at the end. */
final class PdfLayout implements AutoCloseable {

    static final float MARGIN = 56;
    private static final float BOTTOM = 64;

    private final PDDocument document = new PDDocument();
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private final PDType1Font italic = new PDType1Font(Standard14Fonts.FontName.HELVETICA_OBLIQUE);
    private final PdfText regularText = new PdfText(regular);
    private final PdfText boldText = new PdfText(bold);
    private final PdfText italicText = new PdfText(italic);
    private PDPageContentStream stream;
    private float y;

    enum Style {
        REGULAR,
        BOLD,
        ITALIC
    }

    PDDocument document() {
        return document;
    }

    private float width() {
        return PDRectangle.A4.getWidth() - 2 * MARGIN;
    }

    private void newPage() throws IOException {
        if (stream != null) {
            stream.close();
        }
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        stream = new PDPageContentStream(document, page);
        y = PDRectangle.A4.getHeight() - MARGIN;
    }

    void text(String text, Style style, float size, float indent) throws IOException {
        text(text, style, size, indent, null);
    }

    /** Wrapped text; {@code bullet} (e.g. "-") hangs in the indent of the first line. */
    void text(String text, Style style, float size, float indent, String bullet) throws IOException {
        PDType1Font font = font(style);
        PdfText shaper = shaper(style);
        float leading = size * 1.35f;
        List<String> lines = shaper.lines(text, size, width() - indent);
        for (int i = 0; i < lines.size(); i++) {
            room(leading);
            y -= leading;
            stream.beginText();
            stream.setFont(font, size);
            if (i == 0 && bullet != null) {
                stream.newLineAtOffset(MARGIN + indent - 10, y);
                stream.showText(shaper.showable(bullet));
                stream.newLineAtOffset(10, 0);
            } else {
                stream.newLineAtOffset(MARGIN + indent, y);
            }
            stream.showText(lines.get(i));
            stream.endText();
        }
    }

    /** A heading kept with at least a few lines after it. */
    void heading(String text, float size) throws IOException {
        space(size * 0.6f);
        room(size * 1.35f * 2 + 40);
        text(text, Style.BOLD, size, 0);
        space(size * 0.3f);
    }

    void space(float points) throws IOException {
        if (stream == null) {
            newPage();
        }
        y -= points;
    }

    /** A line to sign on. */
    void signatureLine(float indent) throws IOException {
        room(40);
        y -= 36;
        stream.moveTo(MARGIN + indent, y);
        stream.lineTo(MARGIN + indent + 220, y);
        stream.stroke();
        y -= 6;
    }

    private void room(float needed) throws IOException {
        if (stream == null || y - needed < BOTTOM) {
            newPage();
        }
    }

    /** Closes the last page, writes "footer — page i/n" on every page, and returns the file. */
    byte[] finish(String footer) throws IOException {
        if (stream == null) {
            newPage();
        }
        stream.close();
        stream = null;
        int pages = document.getNumberOfPages();
        for (int i = 0; i < pages; i++) {
            PDPage page = document.getPage(i);
            try (PDPageContentStream s = new PDPageContentStream(document, page, AppendMode.APPEND, true, true)) {
                float size = 8;
                List<String> lines = List.of(footer, "Page " + (i + 1) + " / " + pages);
                for (int l = 0; l < lines.size(); l++) {
                    List<String> wrapped = regularText.lines(lines.get(l), size, width());
                    s.beginText();
                    s.setFont(regular, size);
                    s.newLineAtOffset(MARGIN, 40 - 10 * l);
                    s.showText(wrapped.isEmpty() ? "" : wrapped.get(0));
                    s.endText();
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.save(out);
        return out.toByteArray();
    }

    private PDType1Font font(Style style) {
        return switch (style) {
            case REGULAR -> regular;
            case BOLD -> bold;
            case ITALIC -> italic;
        };
    }

    private PdfText shaper(Style style) {
        return switch (style) {
            case REGULAR -> regularText;
            case BOLD -> boldText;
            case ITALIC -> italicText;
        };
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
        document.close();
    }
}
