package fr.actionlogement.territorial.territories.persistence;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.territories.config.TerritoriesConfig;
import fr.actionlogement.territorial.territories.domain.College;
import fr.actionlogement.territorial.territories.domain.DomainRefusal;
import fr.actionlogement.territorial.territories.domain.ProgrammingWork;
import fr.actionlogement.territorial.territories.domain.TerritorialConference;
import fr.actionlogement.territorial.territories.messaging.TerritoryEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** framework protocols, conférences territoriales, their deadlines and programming work. */
@ApplicationScoped
public class ConferenceService {

    private static final Logger LOG = Logger.getLogger(ConferenceService.class);

    @Schema(name = "ProtocolWave")
    public record WaveView(@Schema(examples = "1") int wave, String label,
            @Schema(examples = "2013-01-01") LocalDate startsOn) {
    }

    @Schema(name = "FrameworkProtocol")
    public record ProtocolView(@Schema(examples = "protocole-cadre-2013") String id, String title,
            @Schema(examples = "2013-06-27") LocalDate signedOn, LocalDate periodStart, LocalDate periodEnd,
            @Schema(examples = "[\"AdCF\",\"AMGVF\",\"ACUF\",\"UESL\"]") List<String> parties, List<WaveView> waves,
            boolean demoData, long version) {
    }

    @Schema(name = "ConferenceMember")
    public record MemberView(@Schema(examples = "MEDEF Rhône") String organisation, College college) {
    }

    @Schema(name = "TerritorialConference")
    public record ConferenceView(@Schema(examples = "CT:lyon:protocole-cadre-2013") String id,
            @Schema(examples = "BASSIN:lyon") String basinId, String basinName, String protocolId,
            @Schema(description = "Installation deadline (R-32)", examples = "2013-12-27") LocalDate deadline,
            LocalDate installedOn,
            @Schema(description = "PENDING, INSTALLED or OVERDUE (deadline passed without installation)") String status,
            List<MemberView> members, long version) {
    }

    @Schema(name = "ProgrammingWork")
    public record WorkView(UUID id, String conferenceId, ProgrammingWork.DocumentType documentType,
            @Schema(examples = "PLH 2019-2024 de la Métropole de Lyon") String title,
            @Schema(description = "SIREN or INSEE code of the authority", examples = "200046977") String authorityId,
            @Schema(examples = "Métropole de Lyon") String authorityName, LocalDate periodStart, LocalDate periodEnd,
            LocalDate associatedOn, ProgrammingWork.Status status, long version) {
    }

    public record ProtocolCommand(String id, String title, LocalDate signedOn, LocalDate periodStart,
            LocalDate periodEnd, List<String> parties, List<WaveView> waves) {
    }

    public record WorkCommand(ProgrammingWork.DocumentType documentType, String title, String authorityId,
            String authorityName, LocalDate periodStart, LocalDate periodEnd, LocalDate associatedOn,
            ProgrammingWork.Status status) {
    }

    private final Db db;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TerritoriesConfig config;
    private final Clock clock;

    ConferenceService(Db db, Outbox outbox, AuditLog audit, TerritoriesConfig config, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneId.of(config.conference().zone())));
    }

    // Protocols

    public List<ProtocolView> protocols() {
        return db.query("SELECT id FROM framework_protocol ORDER BY signed_on, id", List.of(), rs -> rs.getString(1))
                .stream().map(id -> protocol(id).orElseThrow()).toList();
    }

    public Optional<ProtocolView> protocol(String id) {
        List<WaveView> waves = db.query("SELECT wave, label, starts_on FROM protocol_wave WHERE protocol_id = ? ORDER BY wave",
                List.of(id), rs -> new WaveView(rs.getInt(1), rs.getString(2), Sql.date(rs, "starts_on")));
        return db.one("""
                SELECT id, title, signed_on, period_start, period_end, parties, demo_data, version
                FROM framework_protocol WHERE id = ?""", List.of(id), rs -> new ProtocolView(rs.getString("id"),
                rs.getString("title"), Sql.date(rs, "signed_on"), Sql.date(rs, "period_start"),
                Sql.date(rs, "period_end"), Sql.strings(rs, "parties"), waves, rs.getBoolean("demo_data"),
                rs.getLong("version")));
    }

    public ProtocolView createProtocol(ProtocolCommand cmd) {
        if (cmd.periodEnd().isBefore(cmd.periodStart())) {
            throw DomainRefusal.of("R-32", "requiresOrderedPeriod", "the period ends before it starts");
        }
        if (cmd.waves().stream().map(WaveView::wave).distinct().count() != cmd.waves().size()) {
            throw DomainRefusal.of("R-32", "duplicateWave", "each wave is given once");
        }
        if (protocol(cmd.id()).isPresent()) {
            throw DomainRefusal.conflict("R-32", "protocolExists", "protocol " + cmd.id() + " already exists");
        }
        db.update("""
                INSERT INTO framework_protocol (id, title, signed_on, period_start, period_end, parties)
                VALUES (?, ?, ?, ?, ?, ?)""", cmd.id(), cmd.title(), cmd.signedOn(), cmd.periodStart(),
                cmd.periodEnd(), cmd.parties());
        for (WaveView w : cmd.waves()) {
            db.update("INSERT INTO protocol_wave (protocol_id, wave, label, starts_on) VALUES (?, ?, ?, ?)", cmd.id(),
                    w.wave(), w.label(), w.startsOn());
        }
        ProtocolView view = protocol(cmd.id()).orElseThrow();
        audit.record("FrameworkProtocol", cmd.id(), "RECORDED", null, view);
        return view;
    }

    // Conferences

    public Page<ConferenceView> conferences(Boolean overdue, Boolean installed, PageRequest page) {
        return conferences(overdue, installed, null, page);
    }

    /**
     * @param territoryId when set, only the conferences of the basins that contain this territory (the basin itself,
     *        one of its EPCI, or a commune of one of them)
     */
    public Page<ConferenceView> conferences(Boolean overdue, Boolean installed, String territoryId, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (territoryId != null) {
            where.append(" AND basin_id IN (SELECT id FROM basin WHERE id = ?"
                    + " UNION SELECT basin_id FROM basin_epci WHERE 'EPCI:' || epci_siren = ?"
                    + " UNION SELECT be.basin_id FROM basin_epci be JOIN territory t ON t.epci_siren = be.epci_siren"
                    + " WHERE t.id = ?)");
            params.add(territoryId);
            params.add(territoryId);
            params.add(territoryId);
        }
        LocalDate today = today();
        if (Boolean.TRUE.equals(overdue)) {
            where.append(" AND installed_on IS NULL AND deadline < ?");
            params.add(today);
        } else if (Boolean.FALSE.equals(overdue)) {
            where.append(" AND NOT (installed_on IS NULL AND deadline < ?)");
            params.add(today);
        }
        if (installed != null) {
            where.append(installed ? " AND installed_on IS NOT NULL" : " AND installed_on IS NULL");
        }
        long total = db.count("SELECT count(*) FROM territorial_conference" + where, params);
        List<Object> p = new ArrayList<>(params);
        p.add(page.size());
        p.add(page.offset());
        List<String> ids = db.query("SELECT id FROM territorial_conference" + where + " ORDER BY " + page.sortColumn()
                + (page.descending() ? " DESC" : "") + ", id LIMIT ? OFFSET ?", p, rs -> rs.getString(1));
        return Page.of(ids.stream().map(id -> conference(id).orElseThrow()).toList(), page, total);
    }

    public Optional<ConferenceView> conference(String id) {
        return load(id).map(c -> {
            Object[] extra = db.one("""
                    SELECT c.protocol_id, b.name, c.version FROM territorial_conference c JOIN basin b ON b.id = c.basin_id
                    WHERE c.id = ?""", List.of(id), rs -> new Object[] { rs.getString(1), rs.getString(2), rs.getLong(3) })
                    .orElseThrow();
            String status = c.installedOn() != null ? "INSTALLED" : c.isOverdue(today()) ? "OVERDUE" : "PENDING";
            return new ConferenceView(c.id(), c.basinId(), (String) extra[1], (String) extra[0], c.deadline(),
                    c.installedOn(), status,
                    c.members().stream().map(m -> new MemberView(m.organisation(), m.college())).toList(),
                    (Long) extra[2]);
        });
    }

    private Optional<TerritorialConference> load(String id) {
        List<TerritorialConference.Member> members = db.query(
                "SELECT organisation, college FROM conference_member WHERE conference_id = ? ORDER BY college, organisation",
                List.of(id), rs -> new TerritorialConference.Member(rs.getString(1), College.valueOf(rs.getString(2))));
        return db.one("SELECT id, basin_id, deadline, installed_on FROM territorial_conference WHERE id = ?",
                List.of(id), rs -> new TerritorialConference(rs.getString("id"), rs.getString("basin_id"),
                        Sql.date(rs, "deadline"), Sql.date(rs, "installed_on"), members));
    }

    public long version(String id) {
        return db.one("SELECT version FROM territorial_conference WHERE id = ?", List.of(id), rs -> rs.getLong(1))
                .orElseThrow();
    }

    /** installs the conference and publishes TerritorialConferenceInstalled; in the caller's transaction. */
    public ConferenceView install(String id, LocalDate on, List<TerritorialConference.Member> members, String reason) {
        TerritorialConference conference = load(id).orElseThrow();
        conference.install(on, members, today());
        db.update("UPDATE territorial_conference SET installed_on = ?, version = version + 1 WHERE id = ?", on, id);
        db.update("DELETE FROM conference_member WHERE conference_id = ?", id);
        for (TerritorialConference.Member m : members) {
            db.update("INSERT INTO conference_member (conference_id, organisation, college) VALUES (?, ?, ?)", id,
                    m.organisation(), m.college().name());
        }
        outbox.publish(TerritoryEvents.conferenceInstalled(new TerritoryEvents.TerritorialConferenceInstalled(id,
                conference.basinId(), on, members.stream()
                        .map(m -> new TerritoryEvents.ConferenceMember(m.organisation(), m.college())).toList())));
        ConferenceView view = conference(id).orElseThrow();
        audit.record("TerritorialConference", id, "INSTALLED", reason, view);
        return view;
    }

    /**
     * raises ConferenceInstallationOverdue once per missed deadline. Each notice is a row whose primary key is
     * (conference, deadline), inserted in the same transaction as its outbox event: whichever replica inserts it
     * first publishes, a concurrent checker blocks on the key and then inserts nothing.
     *
     * @return how many notices this call raised
     */
    public int raiseOverdue() {
        LocalDate today = today();
        List<String> candidates = db.query("""
                SELECT c.id FROM territorial_conference c
                WHERE c.installed_on IS NULL AND c.deadline < ?
                  AND NOT EXISTS (SELECT 1 FROM conference_overdue_notice n
                                  WHERE n.conference_id = c.id AND n.deadline = c.deadline)
                ORDER BY c.id""", List.of(today), rs -> rs.getString(1));
        int raised = 0;
        for (String id : candidates) {
            boolean r = QuarkusTransaction.requiringNew().call(() -> {
                TerritorialConference c = load(id).orElse(null);
                if (c == null || !c.isOverdue(today)) {
                    return false;
                }
                int inserted = db.update("""
                        INSERT INTO conference_overdue_notice (conference_id, deadline, raised_at) VALUES (?, ?, ?)
                        ON CONFLICT DO NOTHING""", id, c.deadline(), OffsetDateTime.now(clock));
                if (inserted == 0) {
                    return false;
                }
                outbox.publish(TerritoryEvents.conferenceOverdue(
                        new TerritoryEvents.ConferenceInstallationOverdue(id, c.basinId(), c.deadline())));
                audit.record("TerritorialConference", id, "INSTALLATION_OVERDUE", "deadline " + c.deadline() + " passed",
                        null);
                return true;
            });
            if (r) {
                raised++;
            }
        }
        if (raised > 0) {
            LOG.infof("Raised %d ConferenceInstallationOverdue", raised);
        }
        return raised;
    }

    // Programming work

    public List<WorkView> works(String conferenceId) {
        return db.query("SELECT * FROM programming_work WHERE conference_id = ? ORDER BY associated_on, id",
                List.of(conferenceId), ConferenceService::work);
    }

    public Optional<WorkView> work(String conferenceId, UUID id) {
        return db.one("SELECT * FROM programming_work WHERE conference_id = ? AND id = ?", List.of(conferenceId, id),
                ConferenceService::work);
    }

    public WorkView associate(String conferenceId, WorkCommand cmd) {
        ProgrammingWork.requiresOrderedPeriod(cmd.periodStart(), cmd.periodEnd());
        UUID id = UUID.randomUUID();
        db.update("""
                INSERT INTO programming_work (id, conference_id, document_type, title, authority_id, authority_name,
                    period_start, period_end, associated_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", id,
                conferenceId, cmd.documentType().name(), cmd.title(), cmd.authorityId(), cmd.authorityName(),
                cmd.periodStart(), cmd.periodEnd(), cmd.associatedOn(),
                (cmd.status() == null ? ProgrammingWork.Status.PLANNED : cmd.status()).name());
        WorkView view = work(conferenceId, id).orElseThrow();
        audit.record("TerritorialConference", conferenceId, "PROGRAMMING_WORK_ASSOCIATED", null, view);
        return view;
    }

    public WorkView updateWork(String conferenceId, UUID id, long expectedVersion, WorkCommand cmd) {
        WorkView before = work(conferenceId, id).orElseThrow();
        ProgrammingWork.requiresOrderedPeriod(cmd.periodStart(), cmd.periodEnd());
        ProgrammingWork.Status next = cmd.status() == null ? before.status() : cmd.status();
        ProgrammingWork.requiresOpenStatus(before.status(), next);
        db.update("""
                UPDATE programming_work SET document_type = ?, title = ?, authority_id = ?, authority_name = ?,
                    period_start = ?, period_end = ?, associated_on = ?, status = ?, version = version + 1
                WHERE id = ? AND version = ?""", cmd.documentType().name(), cmd.title(), cmd.authorityId(),
                cmd.authorityName(), cmd.periodStart(), cmd.periodEnd(), cmd.associatedOn(), next.name(), id,
                expectedVersion);
        WorkView view = work(conferenceId, id).orElseThrow();
        audit.record("TerritorialConference", conferenceId, "PROGRAMMING_WORK_UPDATED", null, view);
        return view;
    }

    private static WorkView work(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new WorkView(rs.getObject("id", UUID.class), rs.getString("conference_id"),
                ProgrammingWork.DocumentType.valueOf(rs.getString("document_type")), rs.getString("title"),
                rs.getString("authority_id"), rs.getString("authority_name"), Sql.date(rs, "period_start"),
                Sql.date(rs, "period_end"), Sql.date(rs, "associated_on"),
                ProgrammingWork.Status.valueOf(rs.getString("status")), rs.getLong("version"));
    }
}
