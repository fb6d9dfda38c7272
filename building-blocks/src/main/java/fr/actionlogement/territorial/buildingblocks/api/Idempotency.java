package fr.actionlogement.territorial.buildingblocks.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code Idempotency-Key} on creating POSTs: the first response is stored with the key, in the transaction of the
 * create, and replayed to a retry of the same request; the same key with another body is refused (422).
 *
 * <p>
 * Keys are scoped by caller and operation. Two concurrent requests with one key serialize on the primary key: the
 * second waits for the first to commit, then replays its response.
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper mapper;
    @Inject
    CurrentUser currentUser;
    @Inject
    UriInfo uriInfo;
    @Inject
    IdempotencyConfig config;

    /** Forgets keys older than {@code idempotency.retention}, so the table does not grow for ever. */
    @Scheduled(every = "${idempotency.purge-every:15m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void purgeExpired() {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "DELETE FROM idempotency_record WHERE created_at < now() - make_interval(secs => ?)")) {
                ps.setLong(1, config.retention().toSeconds());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not purge idempotency records", e);
            }
        });
    }

    /**
     * Runs {@code create} once per key; must be called inside the create's transaction.
     *
     * @param operation a stable name of the operation, e.g. "createConvention"
     * @param request the request body (its JSON is hashed to detect a reused key)
     */
    public Response once(String key, String operation, Object request, Supplier<Response> create) {
        if (key == null) {
            return create.get();
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw ProblemException.invalid(HEADER, "must be 1 to 255 visible ASCII characters");
        }
        String principal = currentUser.isAnonymous() ? "anonymous" : currentUser.subject();
        String hash = hash(request);
        try (Connection c = dataSource.getConnection()) {
            if (!claim(c, principal, operation, key, hash)) {
                return replay(c, principal, operation, key, hash);
            }
            Response response = create.get();
            if (response.getStatus() >= 200 && response.getStatus() < 300) {
                store(c, principal, operation, key, response);
            }
            return response;
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency store unavailable", e);
        }
    }

    /**
     * {@link #once} for a create whose body is a stream (a file upload): the key covers the parameters and every
     * byte of the body, so another file under the same key is refused (422) rather than answered with the first
     * file's response. The first request hashes the body while {@code create} reads it (what it leaves unread is
     * read to the end); a retry reads its body only to hash it.
     */
    public Response onceForStream(String key, String operation, Object parameters, InputStream body,
            Function<InputStream, Response> create) {
        if (key == null) {
            return create.apply(body);
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw ProblemException.invalid(HEADER, "must be 1 to 255 visible ASCII characters");
        }
        String principal = currentUser.isAnonymous() ? "anonymous" : currentUser.subject();
        MessageDigest digest = sha256();
        DigestInputStream hashed = new DigestInputStream(body, digest);
        try (Connection c = dataSource.getConnection()) {
            // Claimed under a provisional hash; the real one is known once the body has been read.
            if (!claim(c, principal, operation, key, "streaming")) {
                hashed.transferTo(OutputStream.nullOutputStream());
                return replay(c, principal, operation, key, streamHash(parameters, digest));
            }
            Response response = create.apply(hashed);
            hashed.transferTo(OutputStream.nullOutputStream());
            if (response.getStatus() >= 200 && response.getStatus() < 300) {
                store(c, principal, operation, key, response);
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE idempotency_record SET request_hash = ?
                        WHERE principal = ? AND operation = ? AND idem_key = ?""")) {
                    ps.setString(1, streamHash(parameters, digest));
                    ps.setString(2, principal);
                    ps.setString(3, operation);
                    ps.setString(4, key);
                    ps.executeUpdate();
                }
            }
            return response;
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency store unavailable", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }

    private String streamHash(Object parameters, MessageDigest bodyDigest) {
        return hash(json(parameters) + "\n" + HexFormat.of().formatHex(bodyDigest.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean claim(Connection c, String principal, String operation, String key, String hash)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO idempotency_record (principal, operation, idem_key, request_hash) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            ps.setString(1, principal);
            ps.setString(2, operation);
            ps.setString(3, key);
            ps.setString(4, hash);
            return ps.executeUpdate() == 1;
        }
    }

    private Response replay(Connection c, String principal, String operation, String key, String hash)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT request_hash, status, location, etag, body FROM idempotency_record
                WHERE principal = ? AND operation = ? AND idem_key = ?""")) {
            ps.setString(1, principal);
            ps.setString(2, operation);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(2) == null) {
                    throw new ProblemException(ProblemType.CONFLICT,
                            "A request with this Idempotency-Key is still being processed; retry later");
                }
                if (!rs.getString(1).equals(hash)) {
                    throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was used for a different request; use a new key");
                }
                Response.ResponseBuilder r = Response.status(rs.getInt(2)).header(REPLAYED_HEADER, "true");
                if (rs.getString(3) != null) {
                    r.location(Locations.resolve(uriInfo, rs.getString(3)));
                }
                if (rs.getString(4) != null) {
                    r.header(HttpHeaders.ETAG, rs.getString(4));
                }
                if (rs.getString(5) != null) {
                    r.entity(rs.getString(5)).type(MediaType.APPLICATION_JSON_TYPE);
                }
                return r.build();
            }
        }
    }

    private void store(Connection c, String principal, String operation, String key, Response response)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE idempotency_record SET status = ?, location = ?, etag = ?, body = ?
                WHERE principal = ? AND operation = ? AND idem_key = ?""")) {
            ps.setInt(1, response.getStatus());
            // Without scheme and host: a retry through another host or port gets its own public URL back.
            ps.setString(2, response.getLocation() == null ? null : Locations.withoutHost(response.getLocation()));
            ps.setString(3, response.getEntityTag() == null ? null : response.getHeaderString(HttpHeaders.ETAG));
            ps.setString(4, response.hasEntity() ? json(response.getEntity()) : null);
            ps.setString(5, principal);
            ps.setString(6, operation);
            ps.setString(7, key);
            ps.executeUpdate();
        }
    }

    private String hash(Object request) {
        return HexFormat.of().formatHex(sha256().digest(json(request).getBytes(StandardCharsets.UTF_8)));
    }

    private String json(Object value) {
        try {
            return value instanceof String s ? s : mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
