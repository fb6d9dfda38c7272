package fr.actionlogement.territorial.buildingblocks.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Idempotency;
import fr.actionlogement.territorial.buildingblocks.api.Locations;
import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageParams;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.events.DomainEvent;
import fr.actionlogement.territorial.buildingblocks.export.Exports;
import fr.actionlogement.territorial.buildingblocks.input.OptionalBody;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;

/** A minimal resource that uses every building block, for the building blocks' own tests. */
@Path("/probes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("uesl")
public class ProbeResource {

    public static final String TOPIC = "probe.events.v1";
    public static final String TYPE = "fr.actionlogement.probe.NoteWritten.v1";

    public record NoteRequest(@NotBlank @Size(max = 50) String text) {
    }

    public record Note(long id, String text, long version) {
    }

    public record NoteWritten(long id, String text) {
    }

    @Inject
    EntityManager em;
    @Inject
    Outbox outbox;
    @Inject
    AuditLog audit;
    @Inject
    Idempotency idempotency;
    @Inject
    Exports exports;
    @Inject
    DataSource dataSource;
    @Context
    UriInfo uriInfo;

    /** Exports wait here after their first row until a test opens it (30 s at most); open by default. */
    public static volatile CountDownLatch exportGate = new CountDownLatch(0);

    /** The statement_timeout of a pooled connection outside any export. */
    @GET
    @Path("/statement-timeout")
    @Produces(MediaType.TEXT_PLAIN)
    public String statementTimeout() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SHOW statement_timeout");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * A streamed export as the services write theirs: {@code rows} rows of {@code SELECT n, pg_sleep(sleep)}, the
     * first line naming the connection's statement_timeout, one row every {@code everyMillis}.
     */
    @GET
    @Path("/export")
    @Produces("text/csv")
    public Response export(@QueryParam("rows") @jakarta.ws.rs.DefaultValue("2") int rows,
            @QueryParam("sleep") @jakarta.ws.rs.DefaultValue("0") double sleep,
            @QueryParam("everyMillis") @jakarta.ws.rs.DefaultValue("0") long everyMillis) {
        jakarta.ws.rs.core.StreamingOutput body = exports.stream(out -> {
            try (Connection c = dataSource.getConnection()) {
                String timeout;
                try (PreparedStatement ps = c.prepareStatement("SHOW statement_timeout");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    timeout = rs.getString(1);
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT n, pg_sleep(?) FROM generate_series(1, ?) n")) {
                    ps.setDouble(1, sleep);
                    ps.setInt(2, rows);
                    try (ResultSet rs = ps.executeQuery()) {
                        boolean first = true;
                        while (rs.next()) {
                            if (first) {
                                out.write(("statement_timeout=" + timeout + "\n").getBytes(StandardCharsets.UTF_8));
                            }
                            out.write((rs.getLong(1) + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            if (first && !exportGate.await(30, TimeUnit.SECONDS)) {
                                throw new IOException("the test never opened the gate");
                            }
                            first = false;
                            Thread.sleep(everyMillis);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IOException("export failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        });
        return Response.ok(body, "text/csv").build();
    }

    @POST
    @Transactional
    public Response create(@NotNull @Valid NoteRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "createNote", request, () -> {
            long id = ((Number) em.createNativeQuery("INSERT INTO probe_note (text) VALUES (?1) RETURNING id")
                    .setParameter(1, request.text()).getSingleResult()).longValue();
            outbox.publish(new DomainEvent(TOPIC, TYPE, "Note", String.valueOf(id), new NoteWritten(id, request.text())));
            audit.record("Note", String.valueOf(id), "CREATED", null, Map.of("text", request.text()));
            return Response.created(Locations.of(uriInfo, "probes", id)).tag(ETags.of(0))
                    .entity(new Note(id, request.text(), 0))
                    .build();
        });
    }

    @GET
    public Response list(@Valid @BeanParam PageParams params) {
        PageRequest page = PageRequest.of(params, Map.of("id", "id"), "id");
        List<?> rows = em.createNativeQuery("SELECT id, text, version FROM probe_note ORDER BY id")
                .setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        long total = ((Number) em.createNativeQuery("SELECT count(*) FROM probe_note").getSingleResult()).longValue();
        List<Note> notes = rows.stream().map(r -> (Object[]) r)
                .map(r -> new Note(((Number) r[0]).longValue(), (String) r[1], ((Number) r[2]).longValue())).toList();
        return Page.of(notes, page, total).toResponse(uriInfo);
    }

    /** Writes a note and its event, then fails: the transaction rolls back and nothing may be published. */
    @POST
    @Path("/failing")
    @Transactional
    public Response createThenFail(@Valid NoteRequest request) {
        long id = ((Number) em.createNativeQuery("INSERT INTO probe_note (text) VALUES (?1) RETURNING id")
                .setParameter(1, request.text()).getSingleResult()).longValue();
        outbox.publish(new DomainEvent(TOPIC, TYPE, "Note", String.valueOf(id), new NoteWritten(id, request.text())));
        throw ProblemException.rule("R-00", "refused after writing, to prove the rollback");
    }

    public record TagRequest(@NotBlank String name) {
    }

    /** A multipart upload, as the services' document and report uploads take them. */
    @POST
    @Path("/upload")
    @jakarta.ws.rs.Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(
            @org.jboss.resteasy.reactive.RestForm("file") org.jboss.resteasy.reactive.multipart.FileUpload file) {
        return Response.ok(Map.of("size", file == null ? -1 : file.size())).build();
    }

    /** A body the caller may leave out: the method sees null. */
    @POST
    @Path("/echo")
    public Response echo(@OptionalBody @Valid TagRequest request) {
        return Response.ok(Map.of("present", request != null)).build();
    }

    /** Inserts without looking first, as a service racing another request would: the database has the last word. */
    @POST
    @Path("/tags")
    @Transactional
    public Response tag(@NotNull @Valid TagRequest request) {
        em.createNativeQuery("INSERT INTO probe_tag (name) VALUES (?1)").setParameter(1, request.name()).executeUpdate();
        return Response.status(201).entity(request).build();
    }

    @GET
    @Path("/search")
    public Response search(@QueryParam("text") String text) {
        return Response.ok(em.createNativeQuery("SELECT count(*) FROM probe_note WHERE text = ?1").setParameter(1, text)
                .getSingleResult()).build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        Note note = find(id);
        return Response.ok(note).tag(ETags.of(note.version())).build();
    }

    @PUT
    @Path("/{id}")
    @Transactional
    public Response update(@PathParam("id") long id, @Valid NoteRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        Note note = find(id);
        ETags.requireMatch(ifMatch, note.version());
        em.createNativeQuery("UPDATE probe_note SET text = ?1, version = version + 1 WHERE id = ?2")
                .setParameter(1, request.text()).setParameter(2, id).executeUpdate();
        audit.record("Note", String.valueOf(id), "UPDATED", "typo", Map.of("text", request.text()));
        return Response.ok(new Note(id, request.text(), note.version() + 1)).tag(ETags.of(note.version() + 1)).build();
    }

    @GET
    @Path("/{id}/history")
    public Response history(@PathParam("id") long id, @Valid @BeanParam PageParams page) {
        find(id);
        return Response.ok(audit.history("Note", String.valueOf(id),
                page)).build();
    }

    private Note find(long id) {
        var rows = em.createNativeQuery("SELECT id, text, version FROM probe_note WHERE id = ?1")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("Note", id);
        }
        Object[] row = (Object[]) rows.get(0);
        return new Note(((Number) row[0]).longValue(), (String) row[1], ((Number) row[2]).longValue());
    }
}
