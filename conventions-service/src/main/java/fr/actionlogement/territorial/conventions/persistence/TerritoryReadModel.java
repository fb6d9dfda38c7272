package fr.actionlogement.territorial.conventions.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.conventions.domain.CilFact;
import fr.actionlogement.territorial.conventions.domain.InstalledConference;
import fr.actionlogement.territorial.conventions.domain.RegionalConference;
import fr.actionlogement.territorial.conventions.domain.Territory;
import fr.actionlogement.territorial.conventions.domain.TerritoryFacts;
import fr.actionlogement.territorial.conventions.messaging.TerritoryFactsData;

/**
 * The local read model of territories-service's facts, written by the territories consumer only. Plain SQL: the
 * writes are idempotent upserts ({@code ON CONFLICT}) of another service's facts, the reads project a few columns
 * (see docs/architecture.md); there is no aggregate here.
 */
@ApplicationScoped
public class TerritoryReadModel implements TerritoryFacts {

    @Inject
    PlainSql sql;

    @Override
    public Optional<Territory> territory(String territoryId) {
        if (territoryId != null && territoryId.startsWith("BASSIN:")) {
            Optional<Territory> basin = basin(territoryId);
            if (basin.isPresent()) {
                return basin;
            }
        }
        return sql.one("""
                SELECT territory_id, kind, name, region_code, retired, epci_nature FROM rm_territory
                WHERE territory_id = ?""",
                rs -> new Territory(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), List.of(), rs.getString(6)),
                territoryId);
    }

    /** A basin's region is that of its EPCIs (BasinDefined carries none). */
    private Optional<Territory> basin(String basinId) {
        return sql.one("""
                SELECT b.basin_id, b.name, b.epci_sirens,
                    (SELECT t.region_code FROM rm_territory t
                     WHERE t.territory_id = ANY(ARRAY(SELECT 'EPCI:' || s FROM unnest(b.epci_sirens) s))
                       AND t.region_code IS NOT NULL ORDER BY t.territory_id LIMIT 1)
                FROM rm_basin b WHERE b.basin_id = ?""",
                rs -> new Territory(rs.getString(1), "BASSIN", rs.getString(2), rs.getString(4), false,
                        PlainSql.strings(rs, "epci_sirens"), null),
                basinId);
    }

    @Override
    public Optional<CilFact> cil(String cilId) {
        return sql.one("SELECT cil_id, name, parent_cil_id FROM rm_cil WHERE cil_id = ?",
                rs -> new CilFact(rs.getString(1), rs.getString(2), rs.getString(3)), cilId);
    }

    /**
     * present on the date when the presence's period (CilPresenceChanged's {@code since}/{@code until}) holds
     * it. The producer's {@code present} flag is its view of today: a presence it says is not present today although
     * its period covers today is withdrawn, so counts on no date. The read model keeps the latest period of each CIL
     * on each territory.
     */
    @Override
    public boolean cilPresentOn(String cilId, String territoryId, java.time.LocalDate on) {
        java.time.LocalDate date = on == null ? java.time.LocalDate.now() : on;
        return sql.count("""
                SELECT count(*) FROM rm_cil_presence p
                WHERE p.cil_id = ?
                  AND (p.since IS NULL OR p.since <= ?) AND (p.until IS NULL OR p.until >= ?)
                  AND (p.present OR NOT ((p.since IS NULL OR p.since <= current_date)
                                         AND (p.until IS NULL OR p.until >= current_date)))
                  AND (p.territory_id = ? OR p.territory_id IN
                       (SELECT 'EPCI:' || s FROM rm_basin b, unnest(b.epci_sirens) s WHERE b.basin_id = ?))""",
                cilId, date, date, territoryId, territoryId) > 0;
    }

    @Override
    public Optional<RegionalConference> regionalConference(String regionCode) {
        return sql.one("SELECT region_code, member_cil_ids FROM rm_regional_conference WHERE region_code = ?",
                rs -> new RegionalConference(rs.getString(1), PlainSql.strings(rs, "member_cil_ids")), regionCode);
    }

    @Override
    public Optional<InstalledConference> installedConference(String basinId) {
        return sql.one("""
                SELECT conference_id, basin_id, installed_on FROM rm_territorial_conference
                WHERE basin_id = ? ORDER BY installed_on DESC LIMIT 1""",
                rs -> new InstalledConference(rs.getString(1), rs.getString(2),
                        rs.getObject(3, java.time.LocalDate.class)),
                basinId);
    }

    // ---- writes, from the consumers ----

    public void apply(TerritoryFactsData.TerritoryRegistered e) {
        sql.update("""
                INSERT INTO rm_territory (territory_id, kind, code, name, region_code, epci_siren, retired,
                    epci_nature)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (territory_id) DO UPDATE SET kind = excluded.kind, code = excluded.code,
                    name = excluded.name, region_code = excluded.region_code, epci_siren = excluded.epci_siren,
                    retired = excluded.retired, epci_nature = excluded.epci_nature""",
                e.territoryId(), e.kind(), e.code(), e.name(), e.regionCode(), e.epciSiren(),
                Boolean.TRUE.equals(e.retired()), e.epciNature());
    }

    public void apply(TerritoryFactsData.CilRegistered e) {
        sql.update("""
                INSERT INTO rm_cil (cil_id, name, parent_cil_id) VALUES (?, ?, ?)
                ON CONFLICT (cil_id) DO UPDATE SET name = excluded.name, parent_cil_id = excluded.parent_cil_id""",
                e.cilId(), e.name(), e.parentCilId());
    }

    public void apply(TerritoryFactsData.CilPresenceChanged e) {
        sql.update("""
                INSERT INTO rm_cil_presence (cil_id, territory_id, present, since, until) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (cil_id, territory_id) DO UPDATE SET present = excluded.present, since = excluded.since,
                    until = excluded.until""",
                e.cilId(), e.territoryId(), e.present(), e.since(), e.until());
    }

    public void apply(TerritoryFactsData.RegionalConferenceChanged e) {
        sql.update("""
                INSERT INTO rm_regional_conference (region_code, member_cil_ids) VALUES (?, ?)
                ON CONFLICT (region_code) DO UPDATE SET member_cil_ids = excluded.member_cil_ids""",
                e.regionCode(), e.memberCilIds() == null ? List.of() : e.memberCilIds());
    }

    public void apply(TerritoryFactsData.DelegueAssigned e) {
        sql.update("""
                INSERT INTO rm_delegue (region_code, delegue_subject, delegue_username, since) VALUES (?, ?, ?, ?)
                ON CONFLICT (region_code) DO UPDATE SET delegue_subject = excluded.delegue_subject,
                    delegue_username = excluded.delegue_username, since = excluded.since""",
                e.regionCode(), e.delegueSubject(), e.delegueUsername(), e.since());
    }

    public void apply(TerritoryFactsData.BasinDefined e) {
        sql.update("""
                INSERT INTO rm_basin (basin_id, name, wave, epci_sirens, tension) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (basin_id) DO UPDATE SET name = excluded.name, wave = excluded.wave,
                    epci_sirens = excluded.epci_sirens, tension = excluded.tension""",
                e.basinId(), e.name(), e.wave(), e.epciSirens() == null ? List.of() : e.epciSirens(), e.tension());
    }

    public void apply(TerritoryFactsData.TerritorialConferenceInstalled e) {
        sql.update("""
                INSERT INTO rm_territorial_conference (conference_id, basin_id, installed_on) VALUES (?, ?, ?)
                ON CONFLICT (conference_id) DO UPDATE SET basin_id = excluded.basin_id,
                    installed_on = excluded.installed_on""",
                e.conferenceId(), e.basinId(), e.installedOn());
    }
}
