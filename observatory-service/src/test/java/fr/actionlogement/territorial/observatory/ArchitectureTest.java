package fr.actionlogement.territorial.observatory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("fr.actionlogement.territorial.observatory");

    @Test
    @DisplayName("the domain depends on neither the API, persistence, messaging nor any framework")
    void domainIsPure() {
        noClasses().that().resideInAPackage("..observatory.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("..observatory.api..", "..observatory.persistence..",
                        "..observatory.messaging..", "io.quarkus..", "jakarta.persistence..", "jakarta.ws.rs..",
                        "java.sql..")
                .check(classes);
    }

    @Test
    @DisplayName("persistence does not depend on the API")
    void persistenceBelowApi() {
        noClasses().that().resideInAPackage("..observatory.persistence..")
                .should().dependOnClassesThat().resideInAPackage("..observatory.api..").check(classes);
    }

    @Test
    @DisplayName("SQL only in persistence: entities, or plain SQL on a connection PlainSql lends")
    void jdbcOnlyInPersistence() {
        noClasses().that().resideOutsideOfPackage("..observatory.persistence..")
                .should().dependOnClassesThat().belongToAnyOf(Connection.class, Statement.class,
                        PreparedStatement.class, ResultSet.class, DriverManager.class, PlainSql.class,
                        jakarta.persistence.EntityManager.class)
                .check(classes);
    }

    @Test
    @DisplayName("no DataSource of its own: plain SQL goes through building-blocks' PlainSql, in the transaction")
    void noDirectDataSource() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javax.sql..", "org.postgresql.ds..")
                .check(classes);
    }
}
