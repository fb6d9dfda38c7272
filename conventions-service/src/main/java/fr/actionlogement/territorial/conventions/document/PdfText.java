package fr.actionlogement.territorial.conventions.document;

import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * What a Standard 14 font (WinAnsiEncoding) can show: French text as it is (é, è, à, ç, œ, «», the euro sign), other
 * characters replaced by their nearest shown form (spaces of every width by a space, ligatures spelled out, accents the
 * encoding lacks dropped), the rest by "?", so a content never makes the generation fail.
 */
final class PdfText {

    private static final Map<Integer, String> REPLACEMENTS = Map.ofEntries(
            Map.entry(0x00A0, " "), Map.entry(0x202F, " "), Map.entry(0x2007, " "), Map.entry(0x2009, " "),
            Map.entry(0x200A, " "), Map.entry(0x2002, " "), Map.entry(0x2003, " "), Map.entry(0x0009, " "),
            Map.entry(0x2010, "-"), Map.entry(0x2011, "-"), Map.entry(0x2012, "-"), Map.entry(0x2212, "-"),
            Map.entry(0xFB00, "ff"), Map.entry(0xFB01, "fi"), Map.entry(0xFB02, "fl"), Map.entry(0xFB03, "ffi"),
            Map.entry(0xFB04, "ffl"), Map.entry(0x2264, "<="), Map.entry(0x2265, ">="), Map.entry(0x2192, "->"),
            Map.entry(0x2032, "'"), Map.entry(0x2033, "\""), Map.entry(0x0152, "OE"), Map.entry(0x0153, "oe"));

    /**
     * Per font name, what each code point can show and its width: the same for every instance of a Standard 14 font
     * (its metrics ship with PDFBox), and PDFBox's own lookups were most of a document's CPU.
     */
    private static final Map<String, Map<Integer, Boolean>> SHOWN = new ConcurrentHashMap<>();
    private static final Map<String, Map<Integer, Float>> WIDTHS = new ConcurrentHashMap<>();

    private final PDFont font;
    private final Map<Integer, Boolean> shown;
    private final Map<Integer, Float> widths;

    PdfText(PDFont font) {
        this.font = font;
        this.shown = SHOWN.computeIfAbsent(font.getName(), n -> new ConcurrentHashMap<>());
        this.widths = WIDTHS.computeIfAbsent(font.getName(), n -> new ConcurrentHashMap<>());
    }

    /** The text with every character the font cannot show replaced; line breaks are the caller's (see lines). */
    String showable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.append(showable(cp)));
        return out.toString();
    }

    private String showable(int cp) {
        if (cp == '\n' || cp == '\r') {
            return " ";
        }
        if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
            return "";
        }
        if (canShow(cp)) {
            return new String(Character.toChars(cp));
        }
        String replacement = REPLACEMENTS.get(cp);
        if (replacement != null && replacement.codePoints().allMatch(this::canShow)) {
            return replacement;
        }
        // An accented letter the encoding lacks (ő, ș...): its base letter.
        String base = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "");
        if (!base.isEmpty() && base.codePoints().allMatch(this::canShow)) {
            return base;
        }
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return " ";
        }
        return "?";
    }

    private boolean canShow(int cp) {
        return shown.computeIfAbsent(cp, c -> {
            try {
                font.encode(new String(Character.toChars(c)));
                return true;
            } catch (IllegalArgumentException | IOException e) {
                return false;
            }
        });
    }

    /** The width of a showable text: the sum of its characters' (a Standard 14 font has no kerning). */
    float width(String showable, float size) throws IOException {
        float units = 0;
        for (int i = 0; i < showable.length();) {
            int cp = showable.codePointAt(i);
            Float w = widths.get(cp);
            if (w == null) {
                w = font.getStringWidth(new String(Character.toChars(cp)));
                widths.put(cp, w);
            }
            units += w;
            i += Character.charCount(cp);
        }
        return units / 1000f * size;
    }

    /**
     * The text broken into lines of at most {@code maxWidth}, between words; a word too long is cut. Each word is
     * measured once: a Standard 14 font has no kerning, so a line's width is the sum of its words' and spaces'.
     */
    List<String> lines(String text, float size, float maxWidth) throws IOException {
        List<String> lines = new ArrayList<>();
        float space = width(" ", size);
        for (String paragraph : (text == null ? "" : text).split("\\R")) {
            String showable = showable(paragraph).strip().replaceAll(" {2,}", " ");
            if (showable.isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder();
            float lineWidth = 0;
            for (String word : showable.split(" ")) {
                float wordWidth = width(word, size);
                if (line.isEmpty() ? wordWidth <= maxWidth : lineWidth + space + wordWidth <= maxWidth) {
                    lineWidth = line.isEmpty() ? wordWidth : lineWidth + space + wordWidth;
                    line.append(line.isEmpty() ? "" : " ").append(word);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                while (wordWidth > maxWidth) {
                    int cut = word.length() - 1;
                    while (cut > 1 && width(word.substring(0, cut), size) > maxWidth) {
                        cut--;
                    }
                    lines.add(word.substring(0, cut));
                    word = word.substring(cut);
                    wordWidth = width(word, size);
                }
                line.append(word);
                lineWidth = wordWidth;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
