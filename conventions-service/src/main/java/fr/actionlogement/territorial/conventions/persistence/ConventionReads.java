package fr.actionlogement.territorial.conventions.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.buildingblocks.persistence.StoredDocument;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionSnapshot;

/**
 * A convention by id for the reads (GET and the checks of the sub-resources): one plain statement on the document
 * and the version instead of the entity, the read-path exception of docs/architecture.md ("Persistence"), where the
 * performance harness's figures behind it are. Writes load and lock the entity.
 */
@ApplicationScoped
public class ConventionReads {

    private final PlainSql sql;
    private final ObjectMapper json;

    ConventionReads(PlainSql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    public Optional<ConventionEntity.Read> byId(String id) {
        return sql.one("SELECT document, rev FROM convention WHERE id = ?",
                rs -> new StoredDocument(rs.getString(1), rs.getLong(2)), id)
                .map(row -> new ConventionEntity.Read(Convention.restore(row.as(json, ConventionSnapshot.class)),
                        row.version()));
    }
}
