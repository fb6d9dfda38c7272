package fr.actionlogement.territorial.territories;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;

import fr.actionlogement.territorial.testsupport.PersistenceRules;

/**
 * The domain stays free of the API, persistence, messaging and framework layers; the database is reached as every
 * service reaches it ({@link PersistenceRules}).
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
    static final ArchTests persistence = ArchTests.in(PersistenceRules.class);
}
