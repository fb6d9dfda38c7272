package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.GeneratedClients.attempt;
import static fr.actionlogement.territorial.systemtests.support.GeneratedClients.etag;
import static fr.actionlogement.territorial.systemtests.support.Identity.DELEGUE_ARA;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static fr.actionlogement.territorial.systemtests.support.SaintEtienneWorld.SAINT_ETIENNE_SIREN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import fr.actionlogement.territorial.client.partnerships.api.AgreementsApi;
import fr.actionlogement.territorial.client.partnerships.api.DlguInboxApi;
import fr.actionlogement.territorial.client.partnerships.model.Agreement;
import fr.actionlogement.territorial.client.partnerships.model.AgreementStatus;
import fr.actionlogement.territorial.client.partnerships.model.AuditEntry;
import fr.actionlogement.territorial.client.partnerships.model.CreateAgreement;
import fr.actionlogement.territorial.client.partnerships.model.DelegueNotification;
import fr.actionlogement.territorial.client.partnerships.model.ExclusivityDecision;
import fr.actionlogement.territorial.client.partnerships.model.InvestmentKind;
import fr.actionlogement.territorial.client.partnerships.model.InvestmentOpinion;
import fr.actionlogement.territorial.client.partnerships.model.PartyType;
import fr.actionlogement.territorial.client.partnerships.model.PlannedInvestment;
import fr.actionlogement.territorial.client.partnerships.model.SignAgreement;
import fr.actionlogement.territorial.client.partnerships.model.UeslReview;
import fr.actionlogement.territorial.systemtests.support.Awaits;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.GeneratedClients;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.SaintEtienneWorld;
import fr.actionlogement.territorial.systemtests.support.Stepwise;

/**
 * The individual partnership journey replayed with the generated Java client through the gateway: the UESL drafts,
 * for the filiale of a CIL of a fresh SIREN, an agreement with Saint-Étienne Métropole with an exclusivity clause
 * and a large subsidy; its draft PDF goes up and comes back byte for byte; the délégué territorial reads it in the
 * inbox; the UESL grants its approval and opinion, and the agreement is signed.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.GENERATED_CLIENT_PARTNERSHIP)
@DisplayName("Journey with the generated Java client: a filiale's partnership with Saint-Étienne Métropole, from draft to signature")
class GeneratedClientPartnershipJourneyTest {

    private static final byte[] PDF = ("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
            + "% Projet de convention CIL - Saint-Étienne Métropole\n%%EOF\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    private GatewayApi gateway;
    private GeneratedClients clients;
    private AgreementsApi asUesl;
    private SaintEtienneWorld.Cils cils;
    private UUID agreementId;

    @BeforeAll
    void start(GatewayApi api) {
        gateway = api;
        clients = new GeneratedClients(api);
        asUesl = new AgreementsApi(clients.partnerships(UESL));
        Awaits.journey("generated client: partnership");
    }

    @Test
    @Order(1)
    @DisplayName("R-20 the UESL drafts the filiale's agreement with Saint-Étienne Métropole: exclusivity clause, 180,000 € subsidy")
    void draft() throws Exception {
        cils = SaintEtienneWorld.ensure(gateway);
        String key = newKey();
        CreateAgreement body = new CreateAgreement().partyType(PartyType.CIL).cilId(cils.present())
                .filialeId(cils.filiale()).collectiviteId(SAINT_ETIENNE_SIREN)
                ._object("Logement des apprentis de la vallée du Gier").startDate(LocalDate.of(2026, 2, 1))
                .durationMonths(24).exclusivity(true).exclusivityScope("Logement des apprentis")
                .investments(List.of(new PlannedInvestment().kind(InvestmentKind.SUBVENTION)
                        .amount(new BigDecimal("180000")).description("Subvention à 30 PLAI apprentis")));
        // Refused (422) until partnerships-service has learnt the CIL, its filiale and the EPCI from the events.
        var created = Awaits.until("partnerships-service knows the CIL, its filiale and Saint-Étienne (agreement accepted)",
                Awaits.FIRST_READ_MODEL, () -> attempt(() -> asUesl.createAgreement(body, key)),
                GeneratedClients.Outcome::ok);
        Agreement a = created.value();
        agreementId = a.getId();
        assertThat(a.getStatus()).isEqualTo(AgreementStatus.DRAFT);
        assertThat(a.getFilialeId()).isEqualTo(cils.filiale());
        assertThat(a.getRegionCode()).isEqualTo(LyonWorld.REGION);
        // A retry with the same key is the same agreement.
        assertThat(asUesl.createAgreement(body, key).getId()).isEqualTo(agreementId);
    }

    @Test
    @Order(2)
    @DisplayName("R-22 not submitted without its draft PDF; the uploaded draft reads back byte for byte")
    void draftDocument() throws Exception {
        var refused = attempt(() -> asUesl.submitAgreement(agreementId.toString(), currentEtag()));
        assertThat(refused.status()).as("%s", refused).isEqualTo(422);
        assertThat(refused.error()).contains("R-22");

        File pdf = Files.write(tmp.resolve("projet-convention.pdf"), PDF).toFile();
        var uploaded = asUesl.uploadDraftDocument(agreementId.toString(), pdf, newKey());
        assertThat(uploaded.getVersion()).isEqualTo(1);
        File back = asUesl.downloadDraftDocument(agreementId.toString(), 1);
        assertThat(Files.readAllBytes(back.toPath())).isEqualTo(PDF);
    }

    @Test
    @Order(3)
    @DisplayName("R-21 R-22 R-24 submitted, it waits for the UESL's prior approval and opinion")
    void submission() throws Exception {
        Agreement submitted = asUesl.submitAgreement(agreementId.toString(), currentEtag());
        assertThat(submitted.getStatus()).isEqualTo(AgreementStatus.PENDING_UESL_APPROVAL);
        assertThat(submitted.getExclusivityApproval()).isEqualTo(UeslReview.PENDING);
        assertThat(submitted.getInvestmentOpinion()).isEqualTo(UeslReview.PENDING);
    }

    @Test
    @Order(4)
    @DisplayName("R-23 the délégué territorial of Auvergne-Rhône-Alpes finds the draft in the inbox and marks it read")
    void delegueInbox() throws Exception {
        var inbox = new DlguInboxApi(clients.partnerships(DELEGUE_ARA));
        var page = Awaits.until("partnerships-service: the délégué's inbox holds the draft (PartnershipSubmitted)",
                Awaits.EVENT, () -> attempt(() -> inbox.listDelegueNotifications(0, 200, null, true)),
                o -> o.ok() && o.value().getItems().stream().anyMatch(n -> agreementId.equals(n.getAgreementId())));
        DelegueNotification n = page.value().getItems().stream()
                .filter(i -> agreementId.equals(i.getAgreementId())).findFirst().orElseThrow();
        assertThat(n.getRegionCode()).isEqualTo(LyonWorld.REGION);
        assertThat(n.getCilId()).isEqualTo(cils.present());
        String id = n.getId().toString();
        String etag = etag(inbox.getDelegueNotificationWithHttpInfo(id).getHeaders());
        assertThat(inbox.markDelegueNotificationRead(id, etag).getRead()).isTrue();
    }

    @Test
    @Order(5)
    @DisplayName("R-21 R-22 signature is refused before the UESL's decisions; granted both, the agreement is APPROVED and signed")
    void ueslDecidesAndSignature() throws Exception {
        String id = agreementId.toString();
        var early = attempt(() -> asUesl.signAgreement(id, currentEtag(), new SignAgreement()
                .signedOn(LocalDate.of(2026, 3, 2))));
        assertThat(early.status()).as("%s", early).isEqualTo(422);
        assertThat(early.error()).contains("R-21");

        Agreement granted = asUesl.decideExclusivityApproval(id, currentEtag(), new ExclusivityDecision().granted(true)
                .reasons("Aucun autre CIL présent sur ce public"));
        assertThat(granted.getExclusivityApproval()).isEqualTo(UeslReview.GRANTED);
        Agreement approved = asUesl.giveInvestmentOpinion(id, currentEtag(), new InvestmentOpinion().favourable(true)
                .opinion("Montant cohérent avec le programme"));
        assertThat(approved.getStatus()).isEqualTo(AgreementStatus.APPROVED);

        Agreement signed = asUesl.signAgreement(id, currentEtag(), new SignAgreement()
                .signedOn(LocalDate.of(2026, 3, 2)).reason("Signature au conseil métropolitain"));
        assertThat(signed.getStatus()).isEqualTo(AgreementStatus.SIGNED);
        assertThat(signed.getSignedOn()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(signed.getEndedOn()).isNull();

        List<String> actions = new ArrayList<>();
        var page = asUesl.agreementHistory(id, 0, 2, null);
        page.getItems().stream().map(AuditEntry::getAction).forEach(actions::add);
        for (int p = 1; p < page.getTotalPages(); p++) {
            asUesl.agreementHistory(id, p, 2, null).getItems().stream().map(AuditEntry::getAction)
                    .forEach(actions::add);
        }
        assertThat(actions).hasSizeGreaterThanOrEqualTo(6);
        assertThat(String.join(" ", actions)).containsIgnoringCase("SIGN");
    }

    private String currentEtag() throws Exception {
        return etag(asUesl.getAgreementWithHttpInfo(agreementId.toString()).getHeaders());
    }
}
