package fr.actionlogement.territorial.territories.persistence;

import java.util.List;

/** Rows in PostgreSQL's COPY text format (tab-separated, \N for null, text[] as array literals). */
final class Copy {

    private Copy() {
    }

    static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object v = values[i];
            if (v == null) {
                out.append("\\N");
            } else if (v instanceof List<?> list) {
                out.append(escape(arrayLiteral(list)));
            } else if (v instanceof Boolean b) {
                out.append(b ? 't' : 'f');
            } else {
                out.append(escape(v.toString()));
            }
        }
        out.append('\n');
    }

    private static String arrayLiteral(List<?> list) {
        StringBuilder a = new StringBuilder("{");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                a.append(',');
            }
            a.append('"').append(list.get(i).toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return a.append('}').toString();
    }

    private static String escape(String s) {
        StringBuilder e = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> e.append("\\\\");
                case '\t' -> e.append("\\t");
                case '\n' -> e.append("\\n");
                case '\r' -> e.append("\\r");
                default -> e.append(ch);
            }
        }
        return e.toString();
    }
}
