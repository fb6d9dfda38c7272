package fr.actionlogement.territorial.territories.persistence;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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
import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.territories.config.TerritoriesConfig;
import fr.actionlogement.territorial.territories.domain.College;
import fr.actionlogement.territorial.territories.domain.DomainRefusal;
import fr.actionlogement.territorial.territories.domain.ProgrammingWork;
import fr.actionlogement.territorial.territories.domain.TerritorialConference;
import fr.actionlogement.territorial.territories.messaging.TerritoryEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

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

    private final PlainSql sql;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TerritoriesConfig config;
    private final Clock clock;

    ConferenceService(PlainSql sql, Outbox outbox, AuditLog audit, TerritoriesConfig config, Clock clock) {
        this.sql = sql;
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
        return FrameworkProtocolEntity.<FrameworkProtocolEntity> listAll(Sort.by("signedOn").and("id")).stream()
                .map(ConferenceService::view).toList();
    }

    public Optional<ProtocolView> protocol(String id) {
        return FrameworkProtocolEntity.<FrameworkProtocolEntity> findByIdOptional(id).map(ConferenceService::view);
    }

    private static ProtocolView view(FrameworkProtocolEntity p) {
        return new ProtocolView(p.id, p.title, p.signedOn, p.periodStart, p.periodEnd, List.copyOf(p.parties),
                p.waves.stream().map(w -> new WaveView(w.wave, w.label, w.startsOn)).toList(), p.demoData, p.version);
    }

    public ProtocolView createProtocol(ProtocolCommand cmd) {
        if (cmd.periodEnd().isBefore(cmd.periodStart())) {
            throw DomainRefusal.of("R-32", "requiresOrderedPeriod", "the period ends before it starts");
        }
        if (cmd.waves().stream().map(WaveView::wave).distinct().count() != cmd.waves().size()) {
            throw DomainRefusal.of("R-32", "duplicateWave", "each wave is given once");
        }
        if (FrameworkProtocolEntity.findById(cmd.id()) != null) {
            throw DomainRefusal.conflict("R-32", "protocolExists", "protocol " + cmd.id() + " already exists");
        }
        FrameworkProtocolEntity p = new FrameworkProtocolEntity();
        p.id = cmd.id();
        p.title = cmd.title();
        p.signedOn = cmd.signedOn();
        p.periodStart = cmd.periodStart();
        p.periodEnd = cmd.periodEnd();
        p.parties = new java.util.ArrayList<>(cmd.parties());
        cmd.waves().stream().sorted(java.util.Comparator.comparingInt(WaveView::wave)).forEach(w -> {
            FrameworkProtocolEntity.Wave wave = new FrameworkProtocolEntity.Wave();
            wave.wave = w.wave();
            wave.label = w.label();
            wave.startsOn = w.startsOn();
            p.waves.add(wave);
        });
        p.persist();
        // Now: a concurrent recording of the same protocol is a 409 of this request.
        FrameworkProtocolEntity.flush();
        ProtocolView view = view(p);
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
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (territoryId != null) {
            where.append(" and (basinId = :territory or basinId in (select b.id from BasinEntity b join b.epciSirens e"
                    + " where 'EPCI:' || e = :territory"
                    + " or e in (select t.epciSiren from TerritoryEntity t where t.id = :territory)))");
            params.and("territory", territoryId);
        }
        if (Boolean.TRUE.equals(overdue)) {
            where.append(" and installedOn is null and deadline < :today");
            params.and("today", today());
        } else if (Boolean.FALSE.equals(overdue)) {
            where.append(" and not (installedOn is null and deadline < :today)");
            params.and("today", today());
        }
        if (installed != null) {
            where.append(installed ? " and installedOn is not null" : " and installedOn is null");
        }
        var query = TerritorialConferenceEntity.<TerritorialConferenceEntity> find(where.toString(),
                page.panacheSort("id"), params);
        return Page.of(query.page(page.page(), page.size()).list().stream().map(this::view).toList(), page, query.count());
    }

    public Optional<ConferenceView> conference(String id) {
        return TerritorialConferenceEntity.<TerritorialConferenceEntity> findByIdOptional(id).map(this::view);
    }

    private ConferenceView view(TerritorialConferenceEntity c) {
        TerritorialConference conference = c.toDomain();
        String status = c.installedOn != null ? "INSTALLED" : conference.isOverdue(today()) ? "OVERDUE" : "PENDING";
        BasinEntity basin = BasinEntity.findById(c.basinId);
        return new ConferenceView(c.id, c.basinId, basin.name, c.protocolId, c.deadline, c.installedOn, status,
                c.members.stream().map(m -> new MemberView(m.organisation, m.college)).toList(), c.version);
    }

    /**
     * installs the conference and publishes TerritorialConferenceInstalled; in the caller's transaction, which
     * checked If-Match against the version it read.
     */
    public ConferenceView install(String id, LocalDate on, List<TerritorialConference.Member> members, String reason) {
        TerritorialConferenceEntity entity = TerritorialConferenceEntity.findById(id);
        TerritorialConference conference = entity.toDomain();
        conference.install(on, members, today());
        entity.installedOn = on;
        entity.members.clear();
        members.forEach(m -> entity.members.add(TerritorialConferenceEntity.Member.of(m)));
        entity.flushRevision();
        outbox.publish(TerritoryEvents.conferenceInstalled(new TerritoryEvents.TerritorialConferenceInstalled(id,
                conference.basinId(), on, members.stream()
                        .map(m -> new TerritoryEvents.ConferenceMember(m.organisation(), m.college())).toList())));
        ConferenceView view = view(entity);
        audit.record("TerritorialConference", id, "INSTALLED", reason, view);
        return view;
    }

    /**
     * raises ConferenceInstallationOverdue once per missed deadline. Each notice is a row whose primary key is
     * (conference, deadline), inserted in the same transaction as its outbox event: whichever replica inserts it
     * first publishes, a concurrent checker blocks on the key and then inserts nothing (plain SQL: the claim is an
     * INSERT ... ON CONFLICT DO NOTHING whose row count says who won).
     *
     * @return how many notices this call raised
     */
    public int raiseOverdue() {
        LocalDate today = today();
        List<String> candidates = sql.query("""
                SELECT c.id FROM territorial_conference c
                WHERE c.installed_on IS NULL AND c.deadline < ?
                  AND NOT EXISTS (SELECT 1 FROM conference_overdue_notice n
                                  WHERE n.conference_id = c.id AND n.deadline = c.deadline)
                ORDER BY c.id""", rs -> rs.getString(1), today);
        int raised = 0;
        for (String id : candidates) {
            boolean r = QuarkusTransaction.requiringNew().call(() -> {
                TerritorialConferenceEntity entity = TerritorialConferenceEntity.findById(id);
                if (entity == null || !entity.toDomain().isOverdue(today)) {
                    return false;
                }
                int inserted = sql.update("""
                        INSERT INTO conference_overdue_notice (conference_id, deadline, raised_at) VALUES (?, ?, ?)
                        ON CONFLICT DO NOTHING""", id, entity.deadline, OffsetDateTime.now(clock));
                if (inserted == 0) {
                    return false;
                }
                outbox.publish(TerritoryEvents.conferenceOverdue(
                        new TerritoryEvents.ConferenceInstallationOverdue(id, entity.basinId, entity.deadline)));
                audit.record("TerritorialConference", id, "INSTALLATION_OVERDUE",
                        "deadline " + entity.deadline + " passed", null);
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
        return ProgrammingWorkEntity.<ProgrammingWorkEntity> list("conferenceId",
                Sort.by("associatedOn").and("id"), conferenceId).stream().map(ConferenceService::view).toList();
    }

    public Optional<WorkView> work(String conferenceId, UUID id) {
        return workEntity(conferenceId, id).map(ConferenceService::view);
    }

    private static Optional<ProgrammingWorkEntity> workEntity(String conferenceId, UUID id) {
        return ProgrammingWorkEntity.<ProgrammingWorkEntity> findByIdOptional(id)
                .filter(w -> w.conferenceId.equals(conferenceId));
    }

    public WorkView associate(String conferenceId, WorkCommand cmd) {
        ProgrammingWork.requiresOrderedPeriod(cmd.periodStart(), cmd.periodEnd());
        ProgrammingWorkEntity w = new ProgrammingWorkEntity();
        w.id = UUID.randomUUID();
        w.conferenceId = conferenceId;
        apply(w, cmd, cmd.status() == null ? ProgrammingWork.Status.PLANNED : cmd.status());
        w.persist();
        ProgrammingWorkEntity.flush();
        WorkView view = view(w);
        audit.record("TerritorialConference", conferenceId, "PROGRAMMING_WORK_ASSOCIATED", null, view);
        return view;
    }

    /** The caller checked If-Match against the version it read in this transaction. */
    public WorkView updateWork(String conferenceId, UUID id, WorkCommand cmd) {
        ProgrammingWorkEntity w = workEntity(conferenceId, id).orElseThrow();
        ProgrammingWork.requiresOrderedPeriod(cmd.periodStart(), cmd.periodEnd());
        ProgrammingWork.Status next = cmd.status() == null ? w.status : cmd.status();
        ProgrammingWork.requiresOpenStatus(w.status, next);
        ProgrammingWork.requiresOpenForChange(w.status, changedFields(w, cmd));
        apply(w, cmd, next);
        w.flushRevision();
        WorkView view = view(w);
        audit.record("TerritorialConference", conferenceId, "PROGRAMMING_WORK_UPDATED", null, view);
        return view;
    }

    /** The fields of the work that the command would change (R-33 freezes them once the work is closed). */
    private static List<String> changedFields(ProgrammingWorkEntity w, WorkCommand cmd) {
        List<String> changed = new java.util.ArrayList<>();
        if (w.documentType != cmd.documentType()) {
            changed.add("documentType");
        }
        if (!java.util.Objects.equals(w.title, cmd.title())) {
            changed.add("title");
        }
        if (!java.util.Objects.equals(w.authorityId, cmd.authorityId())) {
            changed.add("authorityId");
        }
        if (!java.util.Objects.equals(w.authorityName, cmd.authorityName())) {
            changed.add("authorityName");
        }
        if (!java.util.Objects.equals(w.periodStart, cmd.periodStart())) {
            changed.add("periodStart");
        }
        if (!java.util.Objects.equals(w.periodEnd, cmd.periodEnd())) {
            changed.add("periodEnd");
        }
        if (!java.util.Objects.equals(w.associatedOn, cmd.associatedOn())) {
            changed.add("associatedOn");
        }
        return changed;
    }

    private static void apply(ProgrammingWorkEntity w, WorkCommand cmd, ProgrammingWork.Status status) {
        w.documentType = cmd.documentType();
        w.title = cmd.title();
        w.authorityId = cmd.authorityId();
        w.authorityName = cmd.authorityName();
        w.periodStart = cmd.periodStart();
        w.periodEnd = cmd.periodEnd();
        w.associatedOn = cmd.associatedOn();
        w.status = status;
    }

    private static WorkView view(ProgrammingWorkEntity w) {
        return new WorkView(w.id, w.conferenceId, w.documentType, w.title, w.authorityId, w.authorityName,
                w.periodStart, w.periodEnd, w.associatedOn, w.status, w.version);
    }
}
