package fr.actionlogement.territorial.buildingblocks.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one way to run plain SQL, for what Hibernate does not do well: bulk paths ({@code COPY}, batch upserts),
 * aggregate queries and reads a benchmark showed need it (see docs/architecture.md). Inside a transaction the
 * connection is the transaction's (Agroal enlists it, Hibernate uses the same one), so these statements commit or
 * roll back with the entities, the outbox and the audit rows.
 */
@ApplicationScoped
public class PlainSql {

    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    PlainSql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs work on the transaction's connection (or a pooled one outside a transaction), e.g. a {@code COPY}. */
    public <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            // The cause keeps its SQLState: ProblemMappers turns 23505 into 409 and 22021 into 400.
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    public int update(String sql, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                return ps.executeUpdate();
            }
        });
    }

    public <T> List<T> query(String sql, Row<T> row, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                List<T> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(row.map(rs));
                    }
                }
                return result;
            }
        });
    }

    public <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> rows = query(sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public long count(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    /** Binds parameters: a collection as a {@code text[]}, a date as a SQL date, anything else as is. */
    public static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Collection<?> values) {
                ps.setArray(i + 1, c.createArrayOf("text", values.stream().map(String::valueOf).toArray()));
            } else if (p instanceof LocalDate d) {
                ps.setObject(i + 1, d);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    public static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    public static LocalDate date(ResultSet rs, String column) throws SQLException {
        Date d = rs.getDate(column);
        return d == null ? null : d.toLocalDate();
    }

    public static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** Outside the container (a benchmark's main method, say): plain SQL over a DataSource of one's own. */
    public static PlainSql of(DataSource dataSource) {
        return new PlainSql(dataSource);
    }

    /**
     * Whether PostgreSQL refused a duplicate key (SQLState 23505), however the failure is wrapped (Hibernate's
     * {@code ConstraintViolationException}, this class's {@code IllegalStateException}): for a service that answers a
     * duplicate with its own rule rather than ProblemMappers' generic 409.
     */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && "23505".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
