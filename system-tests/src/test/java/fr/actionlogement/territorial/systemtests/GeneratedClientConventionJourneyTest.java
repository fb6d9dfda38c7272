package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.GeneratedClients.attempt;
import static fr.actionlogement.territorial.systemtests.support.GeneratedClients.etag;
import static fr.actionlogement.territorial.systemtests.support.Identity.DELEGUE_ARA;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static fr.actionlogement.territorial.systemtests.support.SaintEtienneWorld.SAINT_ETIENNE;
import static fr.actionlogement.territorial.systemtests.support.SaintEtienneWorld.SAINT_ETIENNE_SIREN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import fr.actionlogement.territorial.client.conventions.api.CampaignsApi;
import fr.actionlogement.territorial.client.conventions.api.ConventionsApi;
import fr.actionlogement.territorial.client.conventions.api.EnvelopesApi;
import fr.actionlogement.territorial.client.conventions.api.TemplatesApi;
import fr.actionlogement.territorial.client.conventions.model.AuditEntry;
import fr.actionlogement.territorial.client.conventions.model.CampaignRequest;
import fr.actionlogement.territorial.client.conventions.model.CommunicationPlan;
import fr.actionlogement.territorial.client.conventions.model.Convention;
import fr.actionlogement.territorial.client.conventions.model.ConventionContent;
import fr.actionlogement.territorial.client.conventions.model.ConventionKind;
import fr.actionlogement.territorial.client.conventions.model.ConventionStatus;
import fr.actionlogement.territorial.client.conventions.model.Device;
import fr.actionlogement.territorial.client.conventions.model.EnvelopeRequest;
import fr.actionlogement.territorial.client.conventions.model.FinancialCommitment;
import fr.actionlogement.territorial.client.conventions.model.Objective;
import fr.actionlogement.territorial.client.conventions.model.PageAuditEntry;
import fr.actionlogement.territorial.client.conventions.model.PartyAction;
import fr.actionlogement.territorial.client.conventions.model.PartyType;
import fr.actionlogement.territorial.client.conventions.model.ProposeConvention;
import fr.actionlogement.territorial.client.conventions.model.PublicPrioritaire;
import fr.actionlogement.territorial.client.conventions.model.ReservationCost;
import fr.actionlogement.territorial.client.conventions.model.Section;
import fr.actionlogement.territorial.client.conventions.model.SignConvention;
import fr.actionlogement.territorial.client.conventions.model.Signatory;
import fr.actionlogement.territorial.client.conventions.model.TemplateRequest;
import fr.actionlogement.territorial.client.conventions.model.Transition;
import fr.actionlogement.territorial.client.territories.api.TerritoriesApi;
import fr.actionlogement.territorial.systemtests.support.Awaits;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.GeneratedClients;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.SaintEtienneWorld;
import fr.actionlogement.territorial.systemtests.support.Stepwise;

/**
 * The territorial convention journey replayed with the Java client generated from the services' documents
 * ({@code clients/java}), through the gateway, as a partner's code would drive it: its own world (a CIL of a fresh
 * SIREN present on Saint-Étienne Métropole), a campaign and a template, the délégué's proposal, negotiation, content,
 * submission, signature, the territory covered and the audit trail. No request is written by hand: what the client
 * cannot express, the document must be fixed for.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.GENERATED_CLIENT_CONVENTION)
@DisplayName("Journey with the generated Java client: a territorial convention on Saint-Étienne Métropole, from proposal to signature")
class GeneratedClientConventionJourneyTest {

    private static final List<String> CANVAS = List.of("CIL_INTERVENTIONS_OFFRE", "VALORISATION_EMPLOI_MOBILITE",
            "ENGAGEMENTS_COLLECTIVITE_OFFRE", "ENGAGEMENTS_COLLECTIVITE_INSTANCES");

    private GatewayApi gateway;
    private GeneratedClients clients;
    private ConventionsApi asUesl;
    private SaintEtienneWorld.Cils cils;
    private String campaignId;
    private String templateId;
    private String conventionId;

    @BeforeAll
    void start(GatewayApi api) {
        gateway = api;
        clients = new GeneratedClients(api);
        asUesl = new ConventionsApi(clients.conventions(UESL));
        Awaits.journey("generated client: convention");
    }

    @Test
    @Order(1)
    @DisplayName("R-34 the UESL registers a CIL and its filiale, present on Saint-Étienne Métropole, in the conférence régionale")
    void prerequisites() throws Exception {
        cils = SaintEtienneWorld.ensure(gateway);
        var onTerritory = new TerritoriesApi(clients.territories(UESL)).listCilsOnTerritory(SAINT_ETIENNE, null);
        assertThat(onTerritory).extracting(p -> p.getCilId()).contains(cils.present());
    }

    @Test
    @Order(2)
    @DisplayName("R-02 R-04 the UESL opens a campaign and publishes a template with the 2011 canvas")
    void campaignAndTemplate() throws Exception {
        campaignId = "generated-" + LyonWorld.siren();
        var campaigns = new CampaignsApi(clients.conventions(UESL));
        var campaign = campaigns.createCampaign(new CampaignRequest().campaignId(campaignId)
                .name("Expérimentation 2012 (client généré)").year(2012).cap(5).evaluationYear(2014), newKey());
        assertThat(campaign.getCampaignId()).isEqualTo(campaignId);
        assertThat(campaigns.getCampaign(campaignId).getCap()).isEqualTo(5);

        templateId = "charte-generated-" + LyonWorld.siren();
        var templates = new TemplatesApi(clients.conventions(UESL));
        var template = templates.publishTemplate(new TemplateRequest().templateId(templateId)
                .name("Charte territoriale type").kind(ConventionKind.TERRITORIALE).sections(canvas())
                .suggestedDevices(List.of(Device.CONSTRUCTION_PLUS_PLAI_PLS)), newKey());
        assertThat(template.getVersion()).isEqualTo(1);
    }

    @Test
    @Order(3)
    @DisplayName("R-01 R-02 the délégué proposes Saint-Étienne Métropole once conventions-service knows it")
    void proposal() {
        var asDelegue = new ConventionsApi(clients.conventions(DELEGUE_ARA));
        String key = newKey();
        var proposal = new ProposeConvention().campaignId(campaignId).territoryId(SAINT_ETIENNE)
                .kind(ConventionKind.TERRITORIALE).templateId(templateId).templateVersion(1)
                .title("Charte territoriale Saint-Étienne Métropole");
        var proposed = Awaits.until("conventions-service knows Saint-Étienne Métropole (proposal accepted)",
                Awaits.FIRST_READ_MODEL, () -> attempt(() -> asDelegue.proposeConvention(proposal, key)),
                GeneratedClients.Outcome::ok);
        Convention c = proposed.value();
        conventionId = c.getConventionId();
        assertThat(c.getStatus()).isEqualTo(ConventionStatus.DRAFT);
        assertThat(c.getTerritoryName()).isEqualTo("Saint-Étienne Métropole");
        assertThat(c.getRegionCode()).isEqualTo(LyonWorld.REGION);
        assertThat(c.getContent().getSections()).hasSize(4);
    }

    @Test
    @Order(4)
    @DisplayName("R-03 the UESL starts the negotiation in the conférence régionale, which lists the CIL")
    void negotiation() {
        var started = Awaits.until("conventions-service knows the CIL in the conférence régionale", Awaits.EVENT,
                () -> attempt(() -> asUesl.startConventionNegotiation(conventionId, currentEtag(),
                        new Transition().reason("Concertation en conférence régionale"))),
                o -> o.ok() || o.status() != 422);
        assertThat(started.ok()).as("negotiation: %s", started).isTrue();
        assertThat(started.value().getStatus()).isEqualTo(ConventionStatus.IN_NEGOTIATION);
    }

    @Test
    @Order(5)
    @DisplayName("R-05 R-07 R-10 R-12 R-13 content: canvas, an objective, the present CIL and the EPCI as signatories, a commitment within the envelope")
    void content() throws Exception {
        var envelopes = new EnvelopesApi(clients.conventions(UESL));
        var envelope = envelopes.setEnvelope(new EnvelopeRequest().cilId(cils.present()).product("PASS_FONCIER")
                .year(2013).amount(50L), newKey());
        assertThat(envelope.getRemaining()).isEqualTo(50L);

        ConventionContent content = new ConventionContent().title("Charte territoriale Saint-Étienne Métropole")
                .periodStartYear(2012).periodEndYear(2014).sections(canvas())
                .devices(List.of(Device.CONSTRUCTION_PLUS_PLAI_PLS))
                .objectives(List.of(new Objective().indicator("CONSTRUCTION_NEUVE")
                        .publicPrioritaire(PublicPrioritaire.JEUNES_SALARIES).year(2013).target(50L)))
                .signatories(List.of(
                        new Signatory().partyType(PartyType.CIL).partyId(cils.present()).name("CIL Loire")
                                .presentOnly(false),
                        new Signatory().partyType(PartyType.COLLECTIVITE).partyId(SAINT_ETIENNE_SIREN)
                                .name("Saint-Étienne Métropole").presentOnly(false)))
                .commitments(List.of(new FinancialCommitment().cilId(cils.present()).product("PASS_FONCIER")
                        .year(2013).amount(30L).collective(false).prescriber(PartyType.CIL)))
                .reservationCosts(List.of(new ReservationCost().category("PLUS").unitCostEuros(18000L)))
                .communicationPlan(new CommunicationPlan().needsStudies("Restitution annuelle des études de besoins")
                        .financingPublicity("Panneaux de chantier mentionnant Action Logement"))
                .actions(List.of(
                        action("CIL:" + cils.present(), Device.CONSTRUCTION_PLUS_PLAI_PLS),
                        action("COLLECTIVITE:" + SAINT_ETIENNE_SIREN, Device.MISE_A_DISPOSITION_FONCIER)))
                .ueslSignatureRequested(false);
        // CilPresenceChanged may still be on its way: R-07 refuses (422) until it is applied.
        var revised = Awaits.until("conventions-service knows the CIL present on Saint-Étienne (R-07)", Awaits.EVENT,
                () -> attempt(() -> asUesl.reviseConventionContent(conventionId, currentEtag(), content)),
                o -> o.ok() || o.status() != 422);
        assertThat(revised.ok()).as("revision: %s", revised).isTrue();
        assertThat(revised.value().getContent().getObjectives().get(0).getObjectiveId()).isNotBlank();
        assertThat(envelopes.getEnvelope(envelope.getEnvelopeId()).getRemaining()).isEqualTo(20L);
    }

    @Test
    @Order(6)
    @DisplayName("R-14 submission for signature, then signature by the UESL")
    void submissionAndSignature() throws Exception {
        assertThat(asUesl.submitConventionForSignature(conventionId, currentEtag(),
                new Transition().reason("Contenu complet")).getStatus()).isEqualTo(ConventionStatus.READY_FOR_SIGNATURE);
        Convention signed = asUesl.signConvention(conventionId, currentEtag(), new SignConvention()
                .signedOn(LocalDate.of(2012, 9, 14)).reason("Signature à l'hôtel de la Métropole"));
        assertThat(signed.getStatus()).isEqualTo(ConventionStatus.SIGNED);
        assertThat(signed.getSignedOn()).isEqualTo(LocalDate.of(2012, 9, 14));
    }

    @Test
    @Order(7)
    @DisplayName("R-14 R-15 territories-service shows Saint-Étienne Métropole covered; the audit trail reads page by page")
    void coveredAndAudited() throws Exception {
        var territories = new TerritoriesApi(clients.territories(UESL));
        Awaits.until("territories-service: Saint-Étienne covered by the convention (ConventionSigned)", Awaits.EVENT,
                () -> attempt(() -> territories.getTerritory(SAINT_ETIENNE)),
                o -> o.ok() && o.value().getCoveredByConventions() != null
                        && o.value().getCoveredByConventions().contains(conventionId));

        List<String> actions = new ArrayList<>();
        PageAuditEntry page = asUesl.getConventionHistory(conventionId, 0, 2, null);
        page.getItems().stream().map(AuditEntry::getAction).forEach(actions::add);
        for (int p = 1; p < page.getTotalPages(); p++) {
            asUesl.getConventionHistory(conventionId, p, 2, null).getItems().stream().map(AuditEntry::getAction)
                    .forEach(actions::add);
        }
        assertThat(actions).containsSubsequence("PROPOSED", "NEGOTIATION_STARTED", "REVISED",
                "SUBMITTED_FOR_SIGNATURE", "SIGNED");
    }

    private String currentEtag() throws Exception {
        return etag(asUesl.getConventionWithHttpInfo(conventionId).getHeaders());
    }

    private static List<Section> canvas() {
        List<Section> sections = new ArrayList<>();
        for (String code : CANVAS) {
            sections.add(new Section().code(code).title(code).text("Engagements sur Saint-Étienne Métropole : " + code));
        }
        return sections;
    }

    private static PartyAction action(String party, Device device) {
        return new PartyAction().partyKey(party).device(device).publics(List.of(PublicPrioritaire.JEUNES_SALARIES))
                .description(device.getValue());
    }
}
