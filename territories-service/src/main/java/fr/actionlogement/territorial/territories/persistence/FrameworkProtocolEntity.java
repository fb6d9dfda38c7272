package fr.actionlogement.territorial.territories.persistence;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;

/** a framework protocol and its roll-out waves. */
@Entity
@Table(name = "framework_protocol")
public class FrameworkProtocolEntity extends VersionedEntity {

    @Id
    public String id;

    @Column(name = "title", nullable = false)
    public String title;

    @Column(name = "signed_on", nullable = false)
    public LocalDate signedOn;

    @Column(name = "period_start", nullable = false)
    public LocalDate periodStart;

    @Column(name = "period_end", nullable = false)
    public LocalDate periodEnd;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "parties", nullable = false)
    public List<String> parties = new ArrayList<>();

    @Column(name = "demo_data", nullable = false)
    public boolean demoData;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "protocol_wave", joinColumns = @JoinColumn(name = "protocol_id"))
    @OrderBy("wave")
    public List<Wave> waves = new ArrayList<>();

    public Optional<Wave> wave(int number) {
        return waves.stream().filter(w -> w.wave == number).findFirst();
    }

    @Embeddable
    public static class Wave {

        @Column(name = "wave", nullable = false)
        public int wave;

        @Column(name = "label", nullable = false)
        public String label;

        @Column(name = "starts_on", nullable = false)
        public LocalDate startsOn;
    }
}
