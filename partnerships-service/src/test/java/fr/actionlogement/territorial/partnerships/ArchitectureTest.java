package fr.actionlogement.territorial.partnerships;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;

import fr.actionlogement.territorial.testsupport.PersistenceRules;

/**
 * The domain stays free of the web, persistence and messaging layers, and of frameworks; the database is reached as
 * every service reaches it ({@link PersistenceRules}).
 */
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
    static final ArchTests persistence = ArchTests.in(PersistenceRules.class);
}
