package fr.actionlogement.territorial.observatory.persistence;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;

/** The aggregate reads of R-44, in plain SQL: one grouped statement each over the closure and the observations. */
@ApplicationScoped
public class AggregateReads {

    /** What was observed of one indicator on a territory and its sub-territories in a year. */
    public record ObservedNeed(String indicator, String unit, BigDecimal value, long observations, String basis) {
    }

    private final AggregateQuery query = new AggregateQuery();
    private final PlainSql sql;

    AggregateReads(PlainSql sql) {
        this.sql = sql;
    }

    /** @return null when the indicator is not in the catalogue */
    public AggregateQuery.Result aggregate(AggregateQuery.Request request) {
        return sql.withConnection(c -> query.run(c, request));
    }

    /** Every indicator observed for the public in the year, yearly observations winning over monthly ones. */
    public List<ObservedNeed> observedNeeds(String territoryId, String publicPrioritaire, int year,
            List<String> visibilities) {
        String statement = """
                SELECT o.indicator, i.unit, o.period_type,
                       CASE WHEN i.aggregation = 'AVERAGE' THEN avg(o.value) ELSE sum(o.value) END, count(*)
                FROM territory_ancestor a
                JOIN observation o ON o.territory_id = a.territory_id
                JOIN indicator i ON i.code = o.indicator
                WHERE a.ancestor_id = ? AND o.period_start >= ? AND o.period_start < ? AND o.visibility = ANY (?)"""
                + (publicPrioritaire != null ? " AND o.public_prioritaire = ?" : "")
                + " GROUP BY o.indicator, i.unit, i.aggregation, o.period_type ORDER BY o.indicator, o.period_type DESC";
        Object[] params = publicPrioritaire != null
                ? new Object[] { territoryId, LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1), visibilities,
                        publicPrioritaire }
                : new Object[] { territoryId, LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1), visibilities };
        Map<String, ObservedNeed> byIndicator = new LinkedHashMap<>();
        // 'Y' sorts first: yearly observations win over the months of the same year
        sql.query(statement, rs -> new ObservedNeed(rs.getString(1), rs.getString(2),
                AggregateQuery.plain(rs.getBigDecimal(4)), rs.getLong(5), "Y".equals(rs.getString(3)) ? "YEAR" : "MONTH"),
                params).forEach(n -> byIndicator.putIfAbsent(n.indicator(), n));
        return List.copyOf(byIndicator.values());
    }
}
