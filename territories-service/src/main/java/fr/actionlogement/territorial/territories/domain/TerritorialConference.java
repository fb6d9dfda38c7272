package fr.actionlogement.territorial.territories.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** the conférence territoriale of one basin, and its installation. */
public final class TerritorialConference {

    public record Member(String organisation, College college) {
        public Member {
            Objects.requireNonNull(organisation, "organisation");
            Objects.requireNonNull(college, "college");
        }
    }

    private final String id;
    private final String basinId;
    private final LocalDate deadline;
    private LocalDate installedOn;
    private List<Member> members;

    public TerritorialConference(String id, String basinId, LocalDate deadline, LocalDate installedOn,
            List<Member> members) {
        this.id = id;
        this.basinId = basinId;
        this.deadline = deadline;
        this.installedOn = installedOn;
        this.members = List.copyOf(members);
    }

    /**
     * Installs the conference. The social partners install it: both colleges (employers' and employees'
     * organisations) must be represented; it cannot be installed twice, nor on a date still to come.
     */
    public void install(LocalDate on, List<Member> installedMembers, LocalDate today) {
        if (installedOn != null) {
            throw DomainRefusal.conflict("R-32", "alreadyInstalled",
                    "conference " + id + " was already installed on " + installedOn);
        }
        if (on.isAfter(today)) {
            throw DomainRefusal.of("R-32", "installationInTheFuture",
                    "the installation date " + on + " is after today (" + today + ")");
        }
        requiresBothColleges(installedMembers);
        this.installedOn = on;
        this.members = List.copyOf(installedMembers);
    }

    static void requiresBothColleges(List<Member> members) {
        boolean employers = members.stream().anyMatch(m -> m.college() == College.EMPLOYEURS);
        boolean employees = members.stream().anyMatch(m -> m.college() == College.SALARIES);
        if (!employers || !employees) {
            throw DomainRefusal.of("R-32", "requiresBothColleges",
                    "a conférence territoriale is installed by the social partners: at least one employers' "
                            + "(EMPLOYEURS) and one employees' (SALARIES) organisation");
        }
    }

    /** Overdue once its deadline has passed without installation (the deadline day itself is still in time). */
    public boolean isOverdue(LocalDate today) {
        return installedOn == null && today.isAfter(deadline);
    }

    public String id() {
        return id;
    }

    public String basinId() {
        return basinId;
    }

    public LocalDate deadline() {
        return deadline;
    }

    public LocalDate installedOn() {
        return installedOn;
    }

    public List<Member> members() {
        return members;
    }
}
