package fr.actionlogement.territorial.observatory.persistence;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;

/**
 * R-44 aggregates: observations of a territory and of every territory under it (closure table), by priority public
 * and period, summed or averaged as the indicator's catalogue entry says. Plain JDBC, so the benchmark times this
 * very code next to its SQL run directly.
 */
public final class AggregateQuery {

    /**
     * The national level (all of France): every observation recorded on a région, département, EPCI or commune,
     * which is what the régions' roll-ups hold together, plus the territories no région holds (the communes of
     * overseas collectivities). Basins are left out: they group EPCI whose observations already count.
     */
    public static final String NATIONAL = "NATION:FR";

    public static boolean isNational(String territoryId) {
        return NATIONAL.equals(territoryId);
    }

    public enum Granularity {
        MONTH,
        YEAR
    }

    /**
     * @param publicPrioritaire null for every public (one series each)
     * @param periodType which observations: 'M' (monthly) or 'Y' (yearly)
     * @param from first period included
     * @param to first period excluded
     * @param visibilities the publication statuses the caller may see in aggregates
     */
    public record Request(String territoryId, String indicator, String publicPrioritaire, char periodType,
            Granularity granularity, LocalDate from, LocalDate to, List<String> visibilities) {
    }

    public record Point(String period, BigDecimal value, long observations) {
    }

    public record Series(String publicPrioritaire, List<Point> points) {
    }

    public record Indicator(String code, String unit, String aggregation) {
    }

    public record Result(Indicator indicator, List<Series> series) {
    }

    /**
     * Whether the request is answered from the pre-aggregate observation_rollup (migration V4): régions, départements
     * and the national level, whose windows span millions of observations. Its answers equal the observations'
     * (ObservationRollupTest); communes, EPCI and basins read the observations, which are few per territory.
     */
    public static boolean rolledUp(String territoryId) {
        return isNational(territoryId) || territoryId.startsWith("REGION:") || territoryId.startsWith("DEPARTEMENT:");
    }

    /** The statement, identical for the service and for the benchmark's direct run. */
    public static String sql(Request r, String aggregation) {
        return rolledUp(r.territoryId()) ? rollupSql(r, aggregation) : observationSql(r, aggregation);
    }

    /** The un-aggregated statement: the observations of the territory and of everything under it. */
    public static String observationSql(Request r, String aggregation) {
        String fn = "AVERAGE".equals(aggregation) ? "avg" : "sum";
        String period = r.granularity() == Granularity.YEAR ? "date_trunc('year', o.period_start)::date" : "o.period_start";
        String from = isNational(r.territoryId())
                // The leading column of observation_key (indicator) serves it; no closure rows needed.
                ? " FROM observation o WHERE o.territory_id NOT LIKE 'BASSIN:%' AND o.indicator = ?"
                : " FROM territory_ancestor a JOIN observation o ON o.territory_id = a.territory_id"
                        + " WHERE a.ancestor_id = ? AND o.indicator = ?";
        return "SELECT o.public_prioritaire, " + period + " AS p, " + fn + "(o.value), count(*)" + from
                + (r.publicPrioritaire() != null ? " AND o.public_prioritaire = ?" : "")
                + " AND o.period_type = ? AND o.period_start >= ? AND o.period_start < ? AND o.visibility = ANY (?)"
                + " GROUP BY 1, 2 ORDER BY 1, 2";
    }

    /**
     * The same answer from the pre-aggregate: sums of sums, and an average as the sum of sums over the sum of counts
     * (what avg() computes, digit for digit). Periods whose count went back to 0 are left out, as they have no
     * observation.
     */
    public static String rollupSql(Request r, String aggregation) {
        String value = "AVERAGE".equals(aggregation) ? "sum(o.value_sum) / sum(o.observations)" : "sum(o.value_sum)";
        String period = r.granularity() == Granularity.YEAR ? "date_trunc('year', o.period_start)::date" : "o.period_start";
        return "SELECT o.public_prioritaire, " + period + " AS p, " + value + ", sum(o.observations)"
                + " FROM observation_rollup o WHERE o.ancestor_id = ? AND o.indicator = ?"
                + (r.publicPrioritaire() != null ? " AND o.public_prioritaire = ?" : "")
                + " AND o.period_type = ? AND o.period_start >= ? AND o.period_start < ? AND o.visibility = ANY (?)"
                + " GROUP BY 1, 2 HAVING sum(o.observations) > 0 ORDER BY 1, 2";
    }

    /** Binds the parameters of {@link #sql} in order. */
    public static void bind(Connection c, PreparedStatement ps, Request r) throws SQLException {
        bind(c, ps, r, rolledUp(r.territoryId()));
    }

    /** Binds the parameters of {@link #rollupSql} (fromRollup) or of {@link #observationSql} in order. */
    public static void bind(Connection c, PreparedStatement ps, Request r, boolean fromRollup) throws SQLException {
        int i = 1;
        if (fromRollup || !isNational(r.territoryId())) {
            ps.setString(i++, r.territoryId());
        }
        ps.setString(i++, r.indicator());
        if (r.publicPrioritaire() != null) {
            ps.setString(i++, r.publicPrioritaire());
        }
        ps.setString(i++, String.valueOf(r.periodType()));
        ps.setObject(i++, r.from());
        ps.setObject(i++, r.to());
        ps.setArray(i, c.createArrayOf("text", r.visibilities().toArray()));
    }

    // Catalogue entries are never changed once added (only new codes appear), so they are cached for good.
    private final Map<String, Indicator> catalogue = new java.util.concurrent.ConcurrentHashMap<>();

    /** @return null when the indicator is not in the catalogue */
    public Result run(Connection c, Request r) throws SQLException {
        Indicator indicator = catalogue.get(r.indicator());
        if (indicator == null) {
            indicator = indicator(c, r.indicator());
            if (indicator != null) {
                catalogue.put(indicator.code(), indicator);
            }
        }
        if (indicator == null) {
            return null;
        }
        Map<String, List<Point>> series = new LinkedHashMap<>();
        char granularityCode = r.granularity() == Granularity.YEAR ? 'Y' : 'M';
        try (PreparedStatement ps = c.prepareStatement(sql(r, indicator.aggregation()))) {
            bind(c, ps, r);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal v = rs.getBigDecimal(3);
                    series.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Point(
                            ObservationPeriod.format(granularityCode, rs.getObject(2, LocalDate.class)),
                            plain(v),
                            rs.getLong(4)));
                }
            }
        }
        List<Series> out = new ArrayList<>();
        series.forEach((k, v) -> out.add(new Series(k, v)));
        return new Result(indicator, out);
    }

    /** At most 4 decimals, no exponent: 12.5, 100. */
    public static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    public static Indicator indicator(Connection c, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT code, unit, aggregation FROM indicator WHERE code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Indicator(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
            }
        }
    }
}
