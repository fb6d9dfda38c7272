package fr.actionlogement.territorial.partnerships.persistence;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * What this service knows of territories-service's facts: territories (to check an authority and find its
 * region), CILs and subsidiaries, and the délégué territorial of each region (R-23). Written only by the consumers.
 */
@ApplicationScoped
public class TerritoryReadModel {

    public record TerritoryRow(String territoryId, String kind, String code, String name, String regionCode,
            boolean retired) {
    }

    public record CilRow(String cilId, String name, String parentCilId) {
    }

    public record DelegueRow(String regionCode, String subject, String username) {
    }

    @Inject
    EntityManager em;

    public void upsertTerritory(TerritoryRow t) {
        em.createNativeQuery("""
                INSERT INTO territory_ref (territory_id, kind, code, name, region_code, retired, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, now())
                ON CONFLICT (territory_id) DO UPDATE SET kind = EXCLUDED.kind, code = EXCLUDED.code,
                    name = EXCLUDED.name, region_code = EXCLUDED.region_code, retired = EXCLUDED.retired,
                    updated_at = now()""")
                .setParameter(1, t.territoryId()).setParameter(2, t.kind()).setParameter(3, t.code())
                .setParameter(4, t.name()).setParameter(5, t.regionCode()).setParameter(6, t.retired())
                .executeUpdate();
    }

    public void upsertCil(CilRow c) {
        em.createNativeQuery("""
                INSERT INTO cil_ref (cil_id, name, parent_cil_id, updated_at) VALUES (?1, ?2, ?3, now())
                ON CONFLICT (cil_id) DO UPDATE SET name = EXCLUDED.name, parent_cil_id = EXCLUDED.parent_cil_id,
                    updated_at = now()""")
                .setParameter(1, c.cilId()).setParameter(2, c.name()).setParameter(3, c.parentCilId())
                .executeUpdate();
    }

    public void assignDelegue(String regionCode, String subject, String username, LocalDate since) {
        em.createNativeQuery("""
                INSERT INTO region_delegue (region_code, delegue_subject, delegue_username, since, updated_at)
                VALUES (?1, ?2, ?3, ?4, now())
                ON CONFLICT (region_code) DO UPDATE SET delegue_subject = EXCLUDED.delegue_subject,
                    delegue_username = EXCLUDED.delegue_username, since = EXCLUDED.since, updated_at = now()""")
                .setParameter(1, regionCode).setParameter(2, subject).setParameter(3, username)
                .setParameter(4, since).executeUpdate();
    }

    public Optional<TerritoryRow> territory(String territoryId) {
        List<?> rows = em.createNativeQuery(
                "SELECT territory_id, kind, code, name, region_code, retired FROM territory_ref WHERE territory_id = ?1")
                .setParameter(1, territoryId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new TerritoryRow((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], (Boolean) r[5]));
    }

    public Optional<CilRow> cil(String cilId) {
        List<?> rows = em.createNativeQuery("SELECT cil_id, name, parent_cil_id FROM cil_ref WHERE cil_id = ?1")
                .setParameter(1, cilId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new CilRow((String) r[0], (String) r[1], (String) r[2]));
    }

    public Optional<DelegueRow> delegueOf(String regionCode) {
        if (regionCode == null) {
            return Optional.empty();
        }
        List<?> rows = em.createNativeQuery(
                "SELECT region_code, delegue_subject, delegue_username FROM region_delegue WHERE region_code = ?1")
                .setParameter(1, regionCode).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new DelegueRow((String) r[0], (String) r[1], (String) r[2]));
    }
}
