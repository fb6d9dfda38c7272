package fr.actionlogement.territorial.observatory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;

import fr.actionlogement.territorial.testsupport.PersistenceRules;

/**
 * The domain depends on neither the API, persistence, messaging nor any framework; the database is reached as every
 * service reaches it ({@link PersistenceRules}).
 */
@AnalyzeClasses(packages = "fr.actionlogement.territorial.observatory", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsPure = noClasses().that().resideInAPackage("..observatory.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..observatory.api..", "..observatory.persistence..",
                    "..observatory.messaging..", "io.quarkus..", "jakarta.persistence..", "jakarta.ws.rs..",
                    "java.sql..");

    @ArchTest
    static final ArchTests persistence = ArchTests.in(PersistenceRules.class);
}
