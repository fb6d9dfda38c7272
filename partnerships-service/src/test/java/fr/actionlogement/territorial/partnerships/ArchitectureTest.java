package fr.actionlogement.territorial.partnerships;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain stays free of the web, persistence and messaging layers, and of frameworks. */
@AnalyzeClasses(packages = "fr.actionlogement.territorial.partnerships", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIndependentOfAdapters = noClasses().that()
            .resideInAPackage("..partnerships.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..partnerships.api..", "..partnerships.persistence..",
                    "..partnerships.messaging..", "..partnerships.config..");

    @ArchTest
    static final ArchRule domainFreeOfFrameworks = noClasses().that()
            .resideInAPackage("..partnerships.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "jakarta.ws.rs..",
                    "io.quarkus..", "org.hibernate..", "com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule persistenceDoesNotUseApi = noClasses().that()
            .resideInAPackage("..partnerships.persistence..")
            .should().dependOnClassesThat().resideInAPackage("..partnerships.api..");

    @ArchTest
    static final ArchRule jdbcOnlyInPersistence = noClasses().that()
            .resideOutsideOfPackage("..partnerships.persistence..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..");

    // Plain SQL goes through PlainSql, which runs on the transaction's connection: no DataSource of one's own.
    @ArchTest
    static final ArchRule plainSqlOnlyThroughTheSharedHelper = noClasses()
            .should().dependOnClassesThat().areAssignableTo(javax.sql.DataSource.class)
            .orShould().dependOnClassesThat().areAssignableTo(java.sql.DriverManager.class);
}
