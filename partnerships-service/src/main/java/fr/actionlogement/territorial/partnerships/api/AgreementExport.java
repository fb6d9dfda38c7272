package fr.actionlogement.territorial.partnerships.api;

import java.math.BigDecimal;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.StreamingOutput;

import org.hibernate.jpa.HibernateHints;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.export.ExportFormat;
import fr.actionlogement.territorial.buildingblocks.export.StreamedExport;
import fr.actionlogement.territorial.partnerships.api.AgreementViews.AgreementView;
import fr.actionlogement.territorial.partnerships.persistence.AgreementEntity;
import fr.actionlogement.territorial.partnerships.persistence.DocumentEntity;
import fr.actionlogement.territorial.partnerships.persistence.InvestmentLine;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/**
 * Writes the agreements of a filter (the list's, with the caller's visibility already in it) as CSV or JSON lines,
 * streamed by building-blocks' {@link StreamedExport} (a cursor in a read-only transaction, the persistence context
 * cleared as it goes): no export holds its whole result in memory.
 */
@ApplicationScoped
public class AgreementExport {

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
    ObjectMapper mapper;

    public StreamingOutput body(String where, Parameters parameters, ExportFormat format) {
        return new StreamedExport<AgreementEntity>(format, mapper, COLUMNS,
                () -> AgreementEntity.<AgreementEntity> find(where, Sort.by("createdAt").and("id"), parameters)
                        .withHint(HibernateHints.HINT_FETCH_SIZE, StreamedExport.CLEAR_EVERY).stream(),
                AgreementExport::csvRow, e -> AgreementView.of(e, DocumentEntity.latestOf(e.id)));
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
