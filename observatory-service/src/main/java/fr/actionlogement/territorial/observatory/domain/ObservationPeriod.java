package fr.actionlogement.territorial.observatory.domain;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** an observation's period, a month ({@code 2024-03}) or a year ({@code 2024}). */
public record ObservationPeriod(Type type, LocalDate start) {

    public enum Type {
        MONTH('M'),
        YEAR('Y');

        private final char code;

        Type(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }

        public static Type ofCode(char code) {
            return code == 'M' ? MONTH : YEAR;
        }
    }

    /** The same pattern the SQL import uses. */
    public static final String PATTERN = "^[12][0-9]{3}(-(0[1-9]|1[0-2]))?$";
    private static final Pattern FORMAT = Pattern.compile("([12][0-9]{3})(?:-(0[1-9]|1[0-2]))?");

    public static ObservationPeriod parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("period must be a year (2024) or a month (2024-03)");
        }
        int year = Integer.parseInt(m.group(1));
        return m.group(2) == null ? new ObservationPeriod(Type.YEAR, LocalDate.of(year, 1, 1))
                : new ObservationPeriod(Type.MONTH, LocalDate.of(year, Integer.parseInt(m.group(2)), 1));
    }

    public static String format(char typeCode, LocalDate start) {
        return typeCode == 'M' ? String.format("%04d-%02d", start.getYear(), start.getMonthValue())
                : String.valueOf(start.getYear());
    }

    @Override
    public String toString() {
        return format(type.code(), start);
    }
}
