package fr.actionlogement.territorial.conventions.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;

/** R-10 contingent envelopes set by the UESL per CIL, product and year. */
@ApplicationScoped
public class EnvelopeRepository {

    public static final Map<String, String> SORTABLE = Map.of("year", "year", "cilId", "cil_id", "product", "product",
            "id", "id");

    public record Row(String id, String cilId, String product, int year, long amount, long rev) {
    }

    @Inject
    Sql sql;

    public void insert(Row r) {
        sql.update("INSERT INTO envelope (id, cil_id, product, year, amount) VALUES (?, ?, ?, ?, ?)", r.id(), r.cilId(),
                r.product(), r.year(), r.amount());
    }

    public void updateAmount(String id, long amount) {
        sql.update("UPDATE envelope SET amount = ?, rev = rev + 1 WHERE id = ?", amount, id);
    }

    public Optional<Row> find(String id, boolean lock) {
        return sql.one("SELECT id, cil_id, product, year, amount, rev FROM envelope WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""), EnvelopeRepository::row, id);
    }

    public Optional<Row> find(String cilId, String product, int year) {
        return sql.one(
                "SELECT id, cil_id, product, year, amount, rev FROM envelope WHERE cil_id = ? AND product = ? AND year = ?",
                EnvelopeRepository::row, cilId, product, year);
    }

    public List<Row> list(String cilId, String product, Integer year, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = where(cilId, product, year, params);
        params.add(page.size());
        params.add(page.offset());
        String dir = page.descending() ? " DESC" : " ASC";
        return sql.query("SELECT id, cil_id, product, year, amount, rev FROM envelope" + where + " ORDER BY "
                + page.sortColumn() + dir + ", id" + dir + " LIMIT ? OFFSET ?", EnvelopeRepository::row,
                params.toArray());
    }

    public long count(String cilId, String product, Integer year) {
        List<Object> params = new ArrayList<>();
        return sql.count("SELECT count(*) FROM envelope" + where(cilId, product, year, params), params.toArray());
    }

    private static String where(String cilId, String product, Integer year, List<Object> params) {
        StringBuilder w = new StringBuilder(" WHERE true");
        if (cilId != null) {
            w.append(" AND cil_id = ?");
            params.add(cilId);
        }
        if (product != null) {
            w.append(" AND product = ?");
            params.add(product);
        }
        if (year != null) {
            w.append(" AND year = ?");
            params.add(year);
        }
        return w.toString();
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5), rs.getLong(6));
    }
}
