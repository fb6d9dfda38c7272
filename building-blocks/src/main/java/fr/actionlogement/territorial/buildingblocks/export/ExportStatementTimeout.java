package fr.actionlogement.territorial.buildingblocks.export;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalPoolInterceptor;

/**
 * Bounds every SQL statement of an export ({@link Exports}): a connection taken from the pool while an export is
 * written on this thread gets the export's {@code statement_timeout}, reset when it goes back. The export's code
 * (plain JDBC, PlainSql or Hibernate) needs to know nothing about it. With a cursor, PostgreSQL applies it to each
 * fetch: the whole export is bounded by the maximum duration instead.
 */
@ApplicationScoped
public class ExportStatementTimeout implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(ExportStatementTimeout.class);

    @Override
    public void onConnectionAcquire(Connection connection) {
        Duration timeout = Exports.STATEMENT_TIMEOUT.get();
        if (timeout != null) {
            execute(connection, "SET statement_timeout = " + Math.max(1, timeout.toMillis()));
        }
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        if (Exports.STATEMENT_TIMEOUT.get() != null) {
            execute(connection, "RESET statement_timeout");
        }
    }

    private static void execute(Connection connection, String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            LOG.warnf("%s failed: %s", sql, e.getMessage());
        }
    }
}
