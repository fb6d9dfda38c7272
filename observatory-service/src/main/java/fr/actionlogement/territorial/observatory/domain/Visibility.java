package fr.actionlogement.territorial.observatory.domain;

/**
 * publication status of an observation. Drafts are seen by their producer and the UESL, shared ones by the
 * partners, public ones by every authenticated user.
 */
public enum Visibility {
    DRAFT,
    SHARED,
    PUBLIC;

    public boolean visibleTo(Viewer viewer, String producer) {
        return switch (this) {
            case PUBLIC -> true;
            case SHARED -> viewer.ueslOrAdmin() || viewer.partner();
            case DRAFT -> viewer.ueslOrAdmin() || viewer.producer().equals(producer);
        };
    }

    /** Publication only moves forward: a shared observation may become public, never a draft again. */
    public boolean canBecome(Visibility next) {
        return next.ordinal() > ordinal();
    }
}
