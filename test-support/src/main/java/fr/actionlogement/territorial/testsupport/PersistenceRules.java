package fr.actionlogement.territorial.testsupport;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.sql.DriverManager;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The persistence rules every service holds (docs/architecture.md, ADR "Persistence"), for a service's
 * {@code ArchitectureTest} to include: {@code @ArchTest static final ArchTests persistence =
 * ArchTests.in(PersistenceRules.class);}. The rules name no service: they apply to the classes the test analyses,
 * the service's own.
 */
public final class PersistenceRules {

    private static final String BUILDING_BLOCKS = "fr.actionlogement.territorial.buildingblocks..";

    /** The database is reached from the {@code persistence} package only: entities, or PlainSql's plain SQL. */
    @ArchTest
    public static final ArchRule databaseOnlyFromPersistence = noClasses().that()
            .resideOutsideOfPackage("..persistence..")
            .should().dependOnClassesThat(resideInAnyPackage("java.sql..", "javax.sql..")
                    .and(not(assignableTo(Throwable.class))) // an SQLException's state may be read anywhere
                    .or(resideInAPackage("fr.actionlogement.territorial.buildingblocks.persistence.."))
                    .or(name("jakarta.persistence.EntityManager")))
            .as("no class outside the persistence package uses JDBC, PlainSql or the EntityManager");

    /** Plain SQL runs on the transaction's connection, which PlainSql lends: no DataSource or driver of one's own. */
    @ArchTest
    public static final ArchRule noConnectionOfItsOwn = noClasses()
            .should().dependOnClassesThat(resideInAnyPackage("javax.sql..", "org.postgresql.ds..")
                    .or(belongToAnyOf(DriverManager.class)))
            .as("no class opens a connection of its own (DataSource, DriverManager)");

    /** Persistence sits below the service's API: entities and stores never use its resources or views. */
    @ArchTest
    public static final ArchRule persistenceBelowApi = noClasses().that().resideInAPackage("..persistence..")
            .should().dependOnClassesThat(resideInAPackage("fr.actionlogement.territorial.*.api..")
                    .and(not(resideInAPackage(BUILDING_BLOCKS))))
            .as("the persistence package does not depend on the service's api package");

    private PersistenceRules() {
    }
}
