package fr.actionlogement.territorial.buildingblocks.api;

import jakarta.ws.rs.core.EntityTag;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;

/**
 * Optimistic concurrency over HTTP: the ETag is the aggregate's version; an update must send it back in
 * {@code If-Match}. A missing header is 428, a stale one 412, and nothing is changed in either case.
 */
public final class ETags {

    public static final String IF_MATCH = "If-Match";

    private ETags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(String.valueOf(version));
    }

    public static void requireMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(ProblemType.PRECONDITION_REQUIRED,
                    "Send the resource's current ETag in If-Match to change it");
        }
        String expected = "\"" + currentVersion + "\"";
        // Strong comparison (RFC 9110, 13.1.1): a weak tag never matches, since it does not promise the same bytes.
        for (String candidate : ifMatch.split(",")) {
            if (candidate.trim().equals(expected)) {
                return;
            }
        }
        throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                "If-Match " + ifMatch + " does not match the current ETag " + expected
                        + "; read the resource again and retry");
    }
}
