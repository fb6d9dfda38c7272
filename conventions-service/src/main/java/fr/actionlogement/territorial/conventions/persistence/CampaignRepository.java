package fr.actionlogement.territorial.conventions.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.conventions.domain.Campaign;

/** R-02 campaigns. */
@ApplicationScoped
public class CampaignRepository {

    public static final Map<String, String> SORTABLE = Map.of("year", "year", "name", "name", "id", "id");

    public record Stored(Campaign campaign, long rev) {
    }

    @Inject
    Sql sql;

    public void insert(Campaign c) {
        sql.update("INSERT INTO campaign (id, name, year, cap, evaluation_year, open) VALUES (?, ?, ?, ?, ?, ?)",
                c.campaignId(), c.name(), c.year(), c.cap(), c.evaluationYear(), c.open());
    }

    public void update(Campaign c) {
        sql.update("UPDATE campaign SET name = ?, cap = ?, evaluation_year = ?, open = ?, rev = rev + 1 WHERE id = ?",
                c.name(), c.cap(), c.evaluationYear(), c.open(), c.campaignId());
    }

    public Optional<Stored> find(String id) {
        return sql.one("SELECT id, name, year, cap, evaluation_year, open, rev FROM campaign WHERE id = ?",
                CampaignRepository::row, id);
    }

    /** Locks the campaign so that concurrent proposals are counted against the cap one after the other. */
    public Optional<Stored> lock(String id) {
        return sql.one("SELECT id, name, year, cap, evaluation_year, open, rev FROM campaign WHERE id = ? FOR UPDATE",
                CampaignRepository::row, id);
    }

    public List<Stored> list(Integer year, PageRequest page) {
        String dir = page.descending() ? " DESC" : " ASC";
        return sql.query("SELECT id, name, year, cap, evaluation_year, open, rev FROM campaign"
                + " WHERE (?::int IS NULL OR year = ?) ORDER BY " + page.sortColumn() + dir + ", id" + dir
                + " LIMIT ? OFFSET ?", CampaignRepository::row, year, year, page.size(), page.offset());
    }

    public long count(Integer year) {
        return sql.count("SELECT count(*) FROM campaign WHERE (?::int IS NULL OR year = ?)", year, year);
    }

    private static Stored row(ResultSet rs) throws SQLException {
        Integer evaluation = (Integer) rs.getObject(5);
        return new Stored(new Campaign(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), evaluation,
                rs.getBoolean(6)), rs.getLong(7));
    }
}
