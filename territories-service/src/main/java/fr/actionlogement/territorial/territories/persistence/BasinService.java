package fr.actionlogement.territorial.territories.persistence;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.LockOptions;
import org.hibernate.jpa.AvailableHints;

import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.territories.config.TerritoriesConfig;
import fr.actionlogement.territorial.territories.domain.Basin;
import fr.actionlogement.territorial.territories.domain.DomainRefusal;
import fr.actionlogement.territorial.territories.domain.InstallationDeadline;
import fr.actionlogement.territorial.territories.domain.Tension;
import fr.actionlogement.territorial.territories.messaging.TerritoryEvents;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** employment basins, and the conférence territoriale each one gets under its protocol. */
@ApplicationScoped
public class BasinService {

    @Schema(name = "Basin", description = "An employment basin / urban area: a named set of EPCI defined by the UESL")
    public record BasinView(
            @Schema(examples = "BASSIN:lyon") String id,
            @Schema(examples = "lyon") String slug,
            @Schema(examples = "Lyon") String name,
            @Schema(description = "1: tense metropolitan areas (2013); 2: other large urban areas", examples = "1") int wave,
            @Schema(examples = "[\"200046977\"]") List<String> epciSirens,
            @Schema(description = "Zonage ABC: Abis, A, B1, B2, C", examples = "A") String tension,
            @Schema(examples = "Zonage ABC 2014") String tensionSource,
            @Schema(examples = "protocole-cadre-2013") String protocolId,
            @Schema(description = "The conférence territoriale of this basin") String conferenceId,
            @Schema(description = "True for the documented demo basins seeded with the service") boolean demoData,
            @Schema(description = "Signed conventions covering this basin") List<String> coveredByConventions,
            long version) {
    }

    public record BasinCommand(String slug, String name, int wave, List<String> epciSirens, String tension,
            String tensionSource, String protocolId) {
    }

    private final TerritoryRepository territories;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TerritoriesConfig config;

    BasinService(TerritoryRepository territories, Outbox outbox, AuditLog audit, TerritoriesConfig config) {
        this.territories = territories;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
    }

    public Page<BasinView> list(Integer wave, PageRequest page) {
        var query = wave == null ? BasinEntity.<BasinEntity> findAll(page.panacheSort("id"))
                : BasinEntity.<BasinEntity> find("wave", page.panacheSort("id"), wave);
        return Page.of(query.page(page.page(), page.size()).list().stream().map(this::view).toList(), page, query.count());
    }

    public Optional<BasinView> find(String id) {
        return BasinEntity.<BasinEntity> findByIdOptional(id).map(this::view);
    }

    private BasinView view(BasinEntity b) {
        String conferenceId = TerritorialConferenceEntity.getEntityManager()
                .createQuery("select id from TerritorialConferenceEntity where basinId = :basin order by id", String.class)
                .setParameter("basin", b.id).setMaxResults(1).getResultStream().findFirst().orElse(null);
        return new BasinView(b.id, b.slug, b.name, b.wave, List.copyOf(b.epciSirens), b.tension, b.tensionSource,
                b.protocolId, conferenceId, b.demoData, territories.conventionsCovering(b.id), b.version);
    }

    /** Must run in the caller's transaction. */
    public BasinView create(BasinCommand cmd) {
        validate(cmd);
        String id = Basin.idOf(cmd.slug());
        if (BasinEntity.findById(id) != null) {
            throw DomainRefusal.conflict("R-31", "basinExists", "basin " + id + " already exists");
        }
        BasinEntity basin = new BasinEntity();
        basin.id = id;
        basin.slug = cmd.slug();
        basin.publishedVersion = 0L;
        apply(basin, cmd);
        basin.persist();
        // Now: a concurrent definition of the same basin is a 409 of this request.
        BasinEntity.flush();
        BasinView view = view(basin);
        publish(view);
        audit.record("Basin", id, "DEFINED", null, view);
        provisionConference(basin);
        return view(basin);
    }

    /** The caller checked If-Match against the version it read in this transaction. */
    public BasinView update(String id, BasinCommand cmd) {
        BasinEntity basin = BasinEntity.findById(id);
        validate(new BasinCommand(basin.slug, cmd.name(), cmd.wave(), cmd.epciSirens(), cmd.tension(),
                cmd.tensionSource(), cmd.protocolId()));
        int waveBefore = basin.wave;
        String protocolBefore = basin.protocolId;
        apply(basin, cmd);
        basin.publishedVersion = basin.version + 1;
        basin.flushRevision();
        BasinView view = view(basin);
        publish(view);
        audit.record("Basin", id, "REDEFINED", null, view);
        if (waveBefore != basin.wave || !java.util.Objects.equals(protocolBefore, basin.protocolId)) {
            refreshDeadline(basin);
        }
        provisionConference(basin);
        return view(basin);
    }

    private static void apply(BasinEntity basin, BasinCommand cmd) {
        basin.name = cmd.name();
        basin.wave = cmd.wave();
        basin.tension = Tension.canonical(cmd.tension());
        basin.tensionSource = cmd.tensionSource();
        basin.protocolId = cmd.protocolId();
        List<String> sirens = List.copyOf(new TreeSet<>(cmd.epciSirens()));
        if (!sirens.equals(basin.epciSirens)) {
            basin.epciSirens.clear();
            basin.epciSirens.addAll(sirens);
        }
    }

    private void validate(BasinCommand cmd) {
        Basin.requiresValidDefinition(cmd.slug(), cmd.wave(), cmd.epciSirens(), cmd.tension());
        Set<String> asked = new TreeSet<>(cmd.epciSirens());
        Set<String> known = territories.existingEpci(asked);
        asked.removeAll(known);
        if (!asked.isEmpty()) {
            throw DomainRefusal.of("R-31", "unknownEpci", "not EPCI of the reference: " + asked);
        }
        if (cmd.protocolId() != null && FrameworkProtocolEntity.<FrameworkProtocolEntity> findByIdOptional(
                cmd.protocolId()).flatMap(p -> p.wave(cmd.wave())).isEmpty()) {
            throw DomainRefusal.of("R-32", "unknownProtocolWave",
                    "protocol " + cmd.protocolId() + " has no wave " + cmd.wave());
        }
    }

    private void publish(BasinView b) {
        outbox.publish(TerritoryEvents.basinDefined(new TerritoryEvents.BasinDefined(b.id(), b.name(), b.wave(),
                b.epciSirens(), b.tension(), b.tensionSource())));
    }

    /**
     * Seeded basins (SQL migrations) are published once, at start-up; must run in a transaction. Replicas starting
     * together each take the basins the others have not locked.
     */
    public int publishUnpublished() {
        List<BasinEntity> unpublished = BasinEntity.<BasinEntity> find("publishedVersion is distinct from version",
                Sort.by("id")).withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint(AvailableHints.HINT_SPEC_LOCK_TIMEOUT, LockOptions.SKIP_LOCKED).list();
        for (BasinEntity basin : unpublished) {
            publish(view(basin));
            basin.publishedVersion = basin.version;
            provisionConference(basin);
        }
        BasinEntity.<BasinEntity> list("protocolId is not null", Sort.by("id")).forEach(this::provisionConference);
        return unpublished.size();
    }

    /**
     * One conférence territoriale per basin under its protocol, with its installation deadline. Replicas may
     * provision the same one at start-up: the insert does nothing when it exists.
     */
    void provisionConference(BasinEntity basin) {
        if (basin.protocolId == null) {
            return;
        }
        FrameworkProtocolEntity protocol = FrameworkProtocolEntity.findById(basin.protocolId);
        protocol.wave(basin.wave).ifPresent(wave -> {
            BasinEntity.flush();
            BasinEntity.getEntityManager().createQuery("""
                    insert into TerritorialConferenceEntity (id, basinId, protocolId, deadline, version)
                    values (:id, :basin, :protocol, :deadline, 0) on conflict do nothing""")
                    .setParameter("id", conferenceIdOf(basin.id, protocol.id)).setParameter("basin", basin.id)
                    .setParameter("protocol", protocol.id)
                    .setParameter("deadline", InstallationDeadline.of(protocol.signedOn, wave.startsOn,
                            config.conference().installationDelayMonths()))
                    .executeUpdate();
        });
    }

    /** A new wave moves the deadline of the basin's conference not yet installed. */
    private void refreshDeadline(BasinEntity basin) {
        TerritorialConferenceEntity.<TerritorialConferenceEntity> find("basinId = :basin and installedOn is null",
                Parameters.with("basin", basin.id)).firstResultOptional().ifPresent(conference -> {
                    FrameworkProtocolEntity protocol = FrameworkProtocolEntity.findById(conference.protocolId);
                    protocol.wave(basin.wave).ifPresent(wave -> {
                        conference.deadline = InstallationDeadline.of(protocol.signedOn, wave.startsOn,
                                config.conference().installationDelayMonths());
                        conference.flushRevision();
                    });
                });
    }

    public static String conferenceIdOf(String basinId, String protocolId) {
        return "CT:" + basinId.substring(basinId.indexOf(':') + 1) + ":" + protocolId;
    }
}
