package fr.actionlogement.territorial.partnerships.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.StreamingOutput;

import org.hibernate.jpa.HibernateHints;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.export.CsvWriter;
import fr.actionlogement.territorial.buildingblocks.export.ExportFormat;
import fr.actionlogement.territorial.buildingblocks.export.JsonLinesWriter;
import fr.actionlogement.territorial.partnerships.api.AgreementViews.AgreementView;
import fr.actionlogement.territorial.partnerships.persistence.AgreementEntity;
import fr.actionlogement.territorial.partnerships.persistence.DocumentEntity;
import fr.actionlogement.territorial.partnerships.persistence.InvestmentLine;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/**
 * Writes the agreements of a filter (the list's, with the caller's visibility already in it) as CSV or JSON lines,
 * streamed: the rows come from a database cursor ({@code fetch size} rows at a time) in a read-only transaction of
 * their own, and the persistence context is cleared as it goes, so no export holds its whole result in memory.
 */
@ApplicationScoped
public class AgreementExport {

    static final int FETCH_SIZE = 200;

    static final List<String> COLUMNS = List.of("id", "partyType", "cilId", "filialeId", "collectiviteId",
            "territoryId", "authorityName", "regionCode", "object", "startDate", "durationMonths", "exclusivity",
            "exclusivityScope", "investmentsTotal", "status", "exclusivityApproval", "investmentOpinion",
            "signatures", "signedOn", "endedOn", "createdBy", "createdAt", "updatedAt");

    static final String CSV_EXAMPLE = "id,partyType,cilId,filialeId,collectiviteId,territoryId,authorityName,regionCode,"
            + "object,startDate,durationMonths,exclusivity,exclusivityScope,investmentsTotal,status,exclusivityApproval,"
            + "investmentOpinion,signatures,signedOn,endedOn,createdBy,createdAt,updatedAt\r\n"
            + "6f1c...,CIL,314159265,,200046977,EPCI:200046977,Métropole de Lyon,84,Housing of young employees,2026-01-01,"
            + "36,false,,5000.00,SIGNED,NOT_REQUIRED,NOT_REQUIRED,CIL:314159265 2026-03-15; COLLECTIVITE:200046977 "
            + "2026-03-20,2026-03-20,,cil-user,2026-01-05T10:00:00Z,2026-03-20T09:00:00Z\r\n";

    @Inject
    EntityManager em;
    @Inject
    ObjectMapper mapper;

    public StreamingOutput body(String where, Parameters parameters, ExportFormat format) {
        return out -> {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    try {
                        if (format == ExportFormat.CSV) {
                            CsvWriter csv = new CsvWriter(out);
                            csv.header(COLUMNS);
                            rows(where, parameters, e -> csv.row(csvRow(e)));
                            csv.flush();
                        } else {
                            JsonLinesWriter jsonl = new JsonLinesWriter(out, mapper);
                            rows(where, parameters, e -> jsonl.write(AgreementView.of(e, DocumentEntity.latestOf(e.id))));
                            jsonl.flush();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        };
    }

    private interface RowWriter {
        void write(AgreementEntity e) throws IOException;
    }

    private void rows(String where, Parameters parameters, RowWriter writer) throws IOException {
        em.unwrap(org.hibernate.Session.class).setDefaultReadOnly(true);
        try (Stream<AgreementEntity> rows = AgreementEntity.<AgreementEntity> find(where,
                Sort.by("createdAt").and("id"), parameters).withHint(HibernateHints.HINT_FETCH_SIZE, FETCH_SIZE)
                .withHint(HibernateHints.HINT_READ_ONLY, true).stream()) {
            int n = 0;
            for (AgreementEntity e : (Iterable<AgreementEntity>) rows::iterator) {
                writer.write(e);
                if (++n % FETCH_SIZE == 0) {
                    em.clear(); // the rows written so far leave the persistence context
                }
            }
        }
    }

    private static List<Object> csvRow(AgreementEntity e) {
        BigDecimal total = e.investments.stream().map((InvestmentLine i) -> i.amount).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        return java.util.Arrays.asList(e.id, e.partyType, e.cilId, e.filialeId, e.collectiviteId, e.territoryId,
                e.authorityName, e.regionCode, e.object, e.startDate, e.durationMonths, e.exclusivity,
                e.exclusivityScope, total, e.status, e.exclusivityApproval, e.investmentOpinion,
                e.signatures.stream().map(s -> s.onBehalfOf + " " + s.signedOn).toList(), e.signedOn, e.endedOn,
                e.createdBy, e.createdAt, e.updatedAt);
    }
}
