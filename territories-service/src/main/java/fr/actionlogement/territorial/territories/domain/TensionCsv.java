package fr.actionlogement.territorial.territories.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * tension by commune from a CSV such as the official zonage ABC list. Columns: the INSEE code, the zone
 * (Abis, A, B1, B2, C), separated by ';' or ','; a header line is recognised and skipped. Every bad row is
 * reported with its line number, and the import is all or nothing.
 */
public final class TensionCsv {

    private static final Pattern INSEE = Pattern.compile("(\\d{5}|2[AB]\\d{3})");

    public record Row(int line, String communeCode, String zone) {
    }

    public record RowError(int line, String field, String message) {
    }

    public record Parsed(List<Row> rows, List<RowError> errors) {
    }

    private TensionCsv() {
    }

    public static Parsed parse(String text, int maxRows) {
        List<Row> rows = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = i == 0 && lines[0].startsWith("\uFEFF") ? lines[0].substring(1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("[;,]", -1);
            if (i == 0 && !INSEE.matcher(unquote(cells[0])).matches()) {
                continue; // header
            }
            if (rows.size() + errors.size() >= maxRows) {
                errors.add(new RowError(lineNo, null, "more than " + maxRows + " rows; split the file"));
                break;
            }
            if (cells.length < 2) {
                errors.add(new RowError(lineNo, "zone", "expected 2 columns: code_insee;zone"));
                continue;
            }
            String code = unquote(cells[0]);
            String zone = Tension.canonical(unquote(cells[1]));
            if (!INSEE.matcher(code).matches()) {
                errors.add(new RowError(lineNo, "code_insee", "'" + code + "' is not an INSEE commune code"));
                continue;
            }
            if (zone == null) {
                errors.add(new RowError(lineNo, "zone", "'" + unquote(cells[1]) + "' is not one of " + Tension.ZONES));
                continue;
            }
            Integer previous = seen.putIfAbsent(code, lineNo);
            if (previous != null) {
                errors.add(new RowError(lineNo, "code_insee", code + " already given on line " + previous));
                continue;
            }
            rows.add(new Row(lineNo, code, zone));
        }
        return new Parsed(rows, errors);
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }
}
