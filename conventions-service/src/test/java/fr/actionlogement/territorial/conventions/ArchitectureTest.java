package fr.actionlogement.territorial.conventions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;

import fr.actionlogement.territorial.testsupport.PersistenceRules;

/**
 * The domain stays free of the API, persistence, messaging and frameworks; the database is reached as every service
 * reaches it ({@link PersistenceRules}).
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
    static final ArchTests persistence = ArchTests.in(PersistenceRules.class);
}
