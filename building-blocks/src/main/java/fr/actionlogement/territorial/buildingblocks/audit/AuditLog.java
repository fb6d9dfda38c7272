package fr.actionlogement.territorial.buildingblocks.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageParams;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.api.RequestIdFilter;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import io.quarkus.arc.Arc;

/** Records every state change in the caller's transaction, and reads an aggregate's history back. */
@ApplicationScoped
public class AuditLog {

    public static final String SYSTEM_ACTOR = "system";

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper mapper;
    @Inject
    Clock clock;
    @Inject
    CurrentUser currentUser;

    public void record(String aggregateType, String aggregateId, String action, String reason, Object details) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        """
                                INSERT INTO audit_entry (aggregate_type, aggregate_id, action, actor, occurred_at, reason, details, request_id)
                                VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)""")) {
            ps.setString(1, aggregateType);
            ps.setString(2, aggregateId);
            ps.setString(3, action);
            ps.setString(4, actor());
            ps.setObject(5, OffsetDateTime.now(clock));
            ps.setString(6, reason);
            if (details == null) {
                ps.setNull(7, Types.VARCHAR);
            } else {
                ps.setString(7, mapper.writeValueAsString(details));
            }
            ps.setString(8, RequestIdFilter.currentRequestId());
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not write the audit entry", e);
        }
    }

    /** An aggregate's history, oldest first; the only sort offered is the entry id. */
    public Page<AuditEntry> history(String aggregateType, String aggregateId, PageParams params) {
        return history(aggregateType, aggregateId, PageRequest.of(params, Map.of("id", "id"), "id"));
    }

    public Page<AuditEntry> history(String aggregateType, String aggregateId, PageRequest page) {
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = c.prepareStatement(
                    "SELECT count(*) FROM audit_entry WHERE aggregate_type = ? AND aggregate_id = ?")) {
                count.setString(1, aggregateType);
                count.setString(2, aggregateId);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEntry> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, action, actor, occurred_at, reason, details, request_id FROM audit_entry
                    WHERE aggregate_type = ? AND aggregate_id = ? ORDER BY id LIMIT ? OFFSET ?""")) {
                ps.setString(1, aggregateType);
                ps.setString(2, aggregateId);
                ps.setInt(3, page.size());
                ps.setInt(4, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String details = rs.getString(6);
                        JsonNode node = details == null ? null : mapper.readTree(details);
                        items.add(new AuditEntry(rs.getLong(1), aggregateType, aggregateId, rs.getString(2),
                                rs.getString(3), rs.getObject(4, OffsetDateTime.class), rs.getString(5), node,
                                rs.getString(7)));
                    }
                }
            }
            return Page.of(items, page, total);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read the audit log", e);
        }
    }

    private String actor() {
        if (!Arc.container().requestContext().isActive() || currentUser.isAnonymous()) {
            return SYSTEM_ACTOR;
        }
        return currentUser.subject();
    }
}
