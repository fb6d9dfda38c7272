package fr.actionlogement.territorial.territories.persistence;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.territories.domain.College;
import fr.actionlogement.territorial.territories.domain.TerritorialConference;

/** the conférence territoriale of a basin under a protocol, its deadline, installation and members. */
@Entity
@Table(name = "territorial_conference")
public class TerritorialConferenceEntity extends VersionedEntity {

    @Id
    public String id;

    @Column(name = "basin_id", nullable = false)
    public String basinId;

    @Column(name = "protocol_id", nullable = false)
    public String protocolId;

    @Column(name = "deadline", nullable = false)
    public LocalDate deadline;

    @Column(name = "installed_on")
    public LocalDate installedOn;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "conference_member", joinColumns = @JoinColumn(name = "conference_id"))
    @OrderBy("college, organisation")
    public List<Member> members = new ArrayList<>();

    public TerritorialConference toDomain() {
        return new TerritorialConference(id, basinId, deadline, installedOn,
                members.stream().map(m -> new TerritorialConference.Member(m.organisation, m.college)).toList());
    }

    @Embeddable
    public static class Member {

        @Column(name = "organisation", nullable = false)
        public String organisation;

        @Enumerated(EnumType.STRING)
        @Column(name = "college", nullable = false)
        public College college;

        static Member of(TerritorialConference.Member m) {
            Member member = new Member();
            member.organisation = m.organisation();
            member.college = m.college();
            return member;
        }
    }
}
