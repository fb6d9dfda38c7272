package fr.actionlogement.territorial.systemtests.support;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.GeneratedClients.attempt;
import static fr.actionlogement.territorial.systemtests.support.GeneratedClients.etag;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import fr.actionlogement.territorial.client.territories.api.CilsApi;
import fr.actionlogement.territorial.client.territories.model.Cil;
import fr.actionlogement.territorial.client.territories.model.CilRequest;
import fr.actionlogement.territorial.client.territories.model.DelegueRequest;
import fr.actionlogement.territorial.client.territories.model.PresenceRequest;
import fr.actionlogement.territorial.client.territories.model.RegionalConferenceRequest;
import fr.actionlogement.territorial.localstack.DemoUsers;

/**
 * The prerequisites of the journeys replayed with the generated Java client, made by the UESL through that client
 * only, once per stack: a CIL and a filiale of fresh SIRENs (never those of {@link LyonWorld}), the CIL present on
 * Saint-Étienne Métropole (another EPCI of Auvergne-Rhône-Alpes than the Lyon of the walkthrough and the Grenoble of
 * the territorial journey), both in the conférence régionale of region 84, and {@code delegue.ara} its délégué.
 */
public final class SaintEtienneWorld {

    public static final String SAINT_ETIENNE_SIREN = "244200770";
    /** Saint-Étienne Métropole in the official reference (EPCI nature METRO, région 84). */
    public static final String SAINT_ETIENNE = "EPCI:" + SAINT_ETIENNE_SIREN;

    /** A CIL present on Saint-Étienne and a filiale of it. */
    public record Cils(String present, String filiale) {
    }

    private static Cils cils;

    private SaintEtienneWorld() {
    }

    public static synchronized Cils ensure(GatewayApi api) throws Exception {
        if (cils != null) {
            return cils;
        }
        CilsApi uesl = new CilsApi(new GeneratedClients(api).territories(Identity.UESL));
        Cils made = new Cils(LyonWorld.siren(), LyonWorld.siren());
        Cil cil = uesl.registerCil(new CilRequest().id(made.present()).name("CIL Loire " + made.present()), newKey());
        assertThat(cil.getParentCilId()).isNull();
        Cil filiale = uesl.registerCil(new CilRequest().id(made.filiale()).name("Filiale Loire " + made.filiale())
                .parentCilId(made.present()), newKey());
        assertThat(filiale.getParentCilId()).isEqualTo(made.present());

        var presence = uesl.addCilPresence(made.present(), new PresenceRequest().territoryId(SAINT_ETIENNE)
                .since(LocalDate.of(2010, 1, 1)).reason("Collecte auprès des entreprises de la Loire"), newKey());
        assertThat(presence.getPresent()).isTrue();
        assertThat(uesl.listCilPresences(made.present())).extracting(p -> p.getTerritoryId()).contains(SAINT_ETIENNE);

        regionalConferenceIncludes(uesl, Set.of(made.present(), made.filiale()));
        delegueIsDelegueAra(api, uesl);
        cils = made;
        return made;
    }

    private static void regionalConferenceIncludes(CilsApi uesl, Set<String> members) throws Exception {
        var current = attempt(() -> uesl.getRegionalConferenceWithHttpInfo(LyonWorld.REGION));
        Set<String> all = new LinkedHashSet<>();
        String ifMatch = null;
        if (current.ok()) {
            all.addAll(current.value().getData().getMemberCilIds());
            ifMatch = etag(current.value().getHeaders());
        } else {
            assertThat(current.status()).as("regional conference: %s", current).isEqualTo(404);
        }
        if (all.containsAll(members)) {
            return;
        }
        all.addAll(members);
        // Without If-Match the first time: the operation creates the conference when absent.
        var after = uesl.setRegionalConference(LyonWorld.REGION, new RegionalConferenceRequest()
                .memberCilIds(List.copyOf(all)).reason("CIL présents en région"), ifMatch);
        assertThat(after.getMemberCilIds()).containsAll(members);
    }

    private static void delegueIsDelegueAra(GatewayApi api, CilsApi uesl) throws Exception {
        String subject = api.claims(Identity.DELEGUE_ARA).path("sub").asText();
        var current = attempt(() -> uesl.getDelegueWithHttpInfo(LyonWorld.REGION));
        String ifMatch = null;
        if (current.ok()) {
            if (subject.equals(current.value().getData().getSubject())) {
                return;
            }
            ifMatch = etag(current.value().getHeaders());
        } else {
            assertThat(current.status()).as("délégué: %s", current).isEqualTo(404);
        }
        var assigned = uesl.assignDelegue(LyonWorld.REGION, new DelegueRequest().subject(subject)
                .username(DemoUsers.DELEGUE_ARA).since(LocalDate.of(2011, 1, 1))
                .reason("Nomination du délégué territorial"), ifMatch);
        assertThat(assigned.getSubject()).isEqualTo(subject);
    }
}
