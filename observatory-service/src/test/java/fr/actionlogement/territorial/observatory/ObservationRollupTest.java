package fr.actionlogement.territorial.observatory;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.observatory.persistence.AggregateQuery;
import fr.actionlogement.territorial.observatory.persistence.AggregateQuery.Granularity;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * R-44 aggregates of régions, départements and the national level are read from the pre-aggregate observation_rollup
 * (migration V4). After every kind of write (R-43 CSV import, fast and staged paths, single write, correction,
 * publication) and a closure change (a commune moving to another département and région), the rollup's answer equals
 * the un-aggregated statement's, value for value, digit for digit, against the real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class ObservationRollupTest {

    static final String I = ",DEMANDES_LOGEMENT_SALARIES,";
    static final String RENT = ",NIVEAU_LOYER,";

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    @DisplayName("R-43/R-44: the rollup answers exactly what the observations answer, after every write and closure change")
    void rollupEqualsObservations() throws Exception {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        Fixtures.Hierarchy h = fx.hierarchy();
        Fixtures.Hierarchy other = fx.hierarchy();
        List<String> territories = List.of(h.region(), h.departement(), other.region(), other.departement(),
                AggregateQuery.NATIONAL);

        // an import on the fast path (COPY straight into observation), values with 4 decimals, an average
        String shared = importCsv("SHARED", ""
                + h.commune1() + I + "JEUNES_SALARIES,2019-01,10.3333,CIL\n"
                + h.commune1() + I + "JEUNES_SALARIES,2019-02,5,CIL\n"
                + h.commune2() + I + "JEUNES_SALARIES,2019-01,20.0001,CIL\n"
                + h.commune2() + I + "SALARIES_EN_MOBILITE,2020-06,3,CIL\n"
                + h.epci() + I + "JEUNES_SALARIES,2019,7,DREAL\n"
                + other.commune1() + I + "JEUNES_SALARIES,2019-01,1.5,CIL\n"
                + h.commune1() + RENT + "JEUNES_SALARIES,2019,10.1,OLL\n"
                + h.commune2() + RENT + "JEUNES_SALARIES,2019,14.2,OLL\n"
                + other.commune2() + RENT + "JEUNES_SALARIES,2019,13.0001,OLL\n"
                + h.commune1() + RENT + "JEUNES_SALARIES,2019-03,9.9999,OLL\n"
                + h.commune2() + RENT + "JEUNES_SALARIES,2019-03,11,OLL\n"
                + other.commune1() + RENT + "JEUNES_SALARIES,2019-03,12.3457,OLL\n");
        assertEquals(List.of("value 35.3334 from 3 observations"), sum(h.region(), "2019"));
        assertSame(territories);

        // a draft, then published: the visibility moves in the rollup too
        String draft = importCsv("DRAFT", ""
                + h.commune1() + I + "JEUNES_SALARIES,2019-04,100,CIL\n"
                + other.commune2() + RENT + "JEUNES_SALARIES,2019-04,8.25,OLL\n");
        assertSame(territories);
        given().auth().oauth2(TestTokens.uesl()).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"visibility\":\"PUBLIC\"}").when().post(API + "/observations/imports/" + draft + "/publication")
                .then().statusCode(200);
        assertEquals(List.of("value 135.3334 from 4 observations"), sum(h.region(), "2019"));
        assertSame(territories);

        // an import that repeats a stored observation takes the staged path (the duplicate is rejected)
        importCsv("SHARED", ""
                + h.commune1() + I + "JEUNES_SALARIES,2019-01,10.3333,CIL\n"
                + h.commune2() + I + "JEUNES_SALARIES,2019-05,2.25,CIL\n", 1);
        assertSame(territories);

        // a single write, then its correction
        int id = given().auth().oauth2(TestTokens.uesl()).contentType(ContentType.JSON).body("""
                {"territoryId":"%s","indicator":"NIVEAU_LOYER","publicPrioritaire":"JEUNES_SALARIES",
                 "period":"2019-06","value":10.5,"source":"OLL","visibility":"SHARED"}""".formatted(h.commune1()))
                .when().post(API + "/observations").then().statusCode(201).extract().path("id");
        assertSame(territories);
        given().auth().oauth2(TestTokens.uesl()).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"value\":10.6667,\"source\":\"OLL\"}").when().put(API + "/observations/" + id)
                .then().statusCode(200);
        assertSame(territories);

        // a writer that does not defer (as a previous version's import during a rolling update): rows rolled up one by
        // one; then a delete
        execute("INSERT INTO observation (batch_no, territory_id, indicator, public_prioritaire, period_type,"
                + " period_start, value, source, visibility) SELECT 0, t, 'DEMANDES_LOGEMENT_SALARIES',"
                + " 'JEUNES_SALARIES', 'M', date '2019-07-01', 0.0001, 'legacy', 'SHARED' FROM unnest(ARRAY['"
                + h.commune1() + "', '" + other.commune1() + "', '" + h.epci() + "']) t");
        assertSame(territories);
        execute("DELETE FROM observation WHERE source = 'legacy' AND territory_id = '" + other.commune1() + "'");
        assertSame(territories);

        // the closure changes: commune2 moves to the other hierarchy's EPCI, département and région
        String otherReg = other.region().substring("REGION:".length());
        String otherDep = other.departement().substring("DEPARTEMENT:".length());
        String otherEpci = other.epci().substring("EPCI:".length());
        fx.territory(h.commune2(), "COMMUNE", h.commune2().substring("COMMUNE:".length()), "Ville déplacée", otherReg,
                otherDep, otherEpci);
        fx.awaitCount("SELECT count(*) FROM territory_ancestor WHERE territory_id = '" + h.commune2()
                + "' AND ancestor_id = '" + other.region() + "'", 1);
        assertEquals(List.of("value 115.3335 from 5 observations"), sum(h.region(), "2019")); // legacy rows: 2 x 0.0001
        assertSame(territories);

        // through the endpoint: a région's ten-year window of an average, as the observations give it
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=" + other.region() + "&indicator=NIVEAU_LOYER"
                        + "&publicPrioritaire=JEUNES_SALARIES&periodType=YEAR&from=2015&to=2024")
                .then().statusCode(200)
                // (14.2 + 13.0001) / 2, commune2 having moved into this région
                .body("series[0].points[0].value", is(13.6001f)).body("series[0].points[0].observations", is(2));
        assertFalse(shared.isBlank());
    }

    private void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Every rolled-up territory, both aggregations, each public or all, every period mode and visibility set. */
    private void assertSame(List<String> territories) throws Exception {
        int compared = 0;
        try (Connection c = dataSource.getConnection()) {
            for (String territory : territories) {
                for (String indicator : List.of("DEMANDES_LOGEMENT_SALARIES", "NIVEAU_LOYER")) {
                    String aggregation = indicator.equals("NIVEAU_LOYER") ? "AVERAGE" : "SUM";
                    for (String pub : Arrays.asList(null, "JEUNES_SALARIES")) {
                        for (String mode : List.of("M-MONTH", "M-YEAR", "Y-YEAR")) {
                            for (List<String> visibilities : List.of(List.of("SHARED", "PUBLIC"), List.of("PUBLIC"),
                                    List.of("DRAFT", "SHARED", "PUBLIC"))) {
                                AggregateQuery.Request r = new AggregateQuery.Request(territory, indicator, pub,
                                        mode.charAt(0), Granularity.valueOf(mode.substring(2)),
                                        LocalDate.of(2010, 1, 1), LocalDate.of(2030, 1, 1), visibilities);
                                List<String> raw = rows(c, AggregateQuery.observationSql(r, aggregation), r, false);
                                List<String> rolled = rows(c, AggregateQuery.rollupSql(r, aggregation), r, true);
                                assertEquals(raw, rolled, "rollup differs for " + r);
                                compared += raw.size();
                            }
                        }
                    }
                }
            }
        }
        assertTrue(compared > 0, "nothing compared");
    }

    private static List<String> rows(Connection c, String sql, AggregateQuery.Request r, boolean rollup)
            throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            AggregateQuery.bind(c, ps, r, rollup);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // the values as PostgreSQL prints them: every digit and the scale
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            }
        }
        return out;
    }

    /** The région's DEMANDES_LOGEMENT_SALARIES of JEUNES_SALARIES in a year, monthly observations, shared or public. */
    private List<String> sum(String territory, String year) {
        var points = given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=" + territory + "&indicator=DEMANDES_LOGEMENT_SALARIES"
                        + "&publicPrioritaire=JEUNES_SALARIES&periodType=MONTH&from=" + year + "&to=" + year)
                .then().statusCode(200).extract().jsonPath();
        return List.of("value " + points.getString("series[0].points[0].value") + " from "
                + points.getString("series[0].points[0].observations") + " observations");
    }

    private static String importCsv(String visibility, String rows) {
        return importCsv(visibility, rows, 0);
    }

    private static String importCsv(String visibility, String rows, int rejected) {
        return given().auth().oauth2(TestTokens.uesl()).contentType("text/csv")
                .body((ObservationTest.HEADER + rows).getBytes(StandardCharsets.UTF_8))
                .when().post(API + "/observations/imports?visibility=" + visibility).then().statusCode(201)
                .body("rowsRejected", is(rejected)).extract().path("batchId");
    }
}
