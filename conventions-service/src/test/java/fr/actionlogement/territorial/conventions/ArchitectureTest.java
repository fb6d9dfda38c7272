package fr.actionlogement.territorial.conventions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The domain stays free of the API, persistence, messaging and frameworks; the database is reached through Hibernate
 * (the entities) or building-blocks' PlainSql, from the persistence package only.
 */
@AnalyzeClasses(packages = "fr.actionlogement.territorial.conventions", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIgnoresOuterLayers = noClasses().that()
            .resideInAPackage("..conventions.domain..").should().dependOnClassesThat()
            .resideInAnyPackage("..conventions.api..", "..conventions.persistence..", "..conventions.messaging..",
                    "..conventions.config..");

    @ArchTest
    static final ArchRule domainIgnoresFrameworks = noClasses().that()
            .resideInAPackage("..conventions.domain..").should().dependOnClassesThat()
            .resideInAnyPackage("io.quarkus..", "jakarta.persistence..", "jakarta.ws.rs..", "org.hibernate..",
                    "com.fasterxml.jackson..", "jakarta.enterprise..");

    @ArchTest
    static final ArchRule persistenceIgnoresApi = noClasses().that()
            .resideInAPackage("..conventions.persistence..").should().dependOnClassesThat()
            .resideInAPackage("..conventions.api..");

    @ArchTest
    static final ArchRule jdbcOnlyInPersistence = noClasses().that()
            .resideOutsideOfPackage("..conventions.persistence..").should().dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "javax.sql..", "fr.actionlogement.territorial.buildingblocks.persistence..");

    @ArchTest
    static final ArchRule plainSqlOnlyThroughTheSharedHelper = noClasses().that()
            .resideInAPackage("fr.actionlogement.territorial.conventions..").should().dependOnClassesThat()
            .haveFullyQualifiedName("javax.sql.DataSource").orShould().dependOnClassesThat()
            .haveFullyQualifiedName("java.sql.Connection").orShould().dependOnClassesThat()
            .haveFullyQualifiedName("java.sql.PreparedStatement").orShould().dependOnClassesThat()
            .haveFullyQualifiedName("java.sql.Statement").orShould().dependOnClassesThat()
            .haveFullyQualifiedName("jakarta.persistence.EntityManager");
}
