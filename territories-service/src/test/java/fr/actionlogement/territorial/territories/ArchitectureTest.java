package fr.actionlogement.territorial.territories;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The domain stays free of the API, persistence, messaging and framework layers; the database is reached through
 * Hibernate, or through the shared PlainSql for the exceptions docs/architecture.md lists, never by hand-made JDBC.
 */
@AnalyzeClasses(packages = "fr.actionlogement.territorial.territories", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIndependent = noClasses().that()
            .resideInAPackage("..territories.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..territories.api..", "..territories.persistence..",
                    "..territories.messaging..", "io.quarkus..", "jakarta.persistence..", "jakarta.ws.rs..",
                    "org.hibernate..");

    @ArchTest
    static final ArchRule persistenceDoesNotUseApi = noClasses().that()
            .resideInAPackage("..territories.persistence..")
            .should().dependOnClassesThat().resideInAPackage("..territories.api..");

    @ArchTest
    static final ArchRule jdbcOnlyInPersistence = noClasses().that()
            .resideOutsideOfPackage("..territories.persistence..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..");

    // Plain SQL goes through PlainSql, which runs on the transaction's connection: no DataSource of one's own.
    @ArchTest
    static final ArchRule plainSqlOnlyThroughTheSharedHelper = noClasses()
            .should().dependOnClassesThat().areAssignableTo(javax.sql.DataSource.class)
            .orShould().dependOnClassesThat().areAssignableTo(java.sql.DriverManager.class);
}
