package fr.actionlogement.territorial.territories.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/** JDBC access on the transaction-enlisted connection. */
@ApplicationScoped
public class Db {

    private final DataSource dataSource;

    Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T run(TerritoryRepository.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    public <T> List<T> query(String sql, List<Object> params, Sql.RowMapper<T> mapper) {
        return run(c -> Sql.query(c, sql, params, mapper));
    }

    public <T> Optional<T> one(String sql, List<Object> params, Sql.RowMapper<T> mapper) {
        return query(sql, params, mapper).stream().findFirst();
    }

    public long count(String sql, List<Object> params) {
        return run(c -> Sql.count(c, sql, params));
    }

    public int update(String sql, Object... params) {
        return run(c -> Sql.update(c, sql, params));
    }
}
