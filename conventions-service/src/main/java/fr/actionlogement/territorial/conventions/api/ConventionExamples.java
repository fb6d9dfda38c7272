package fr.actionlogement.territorial.conventions.api;

/** OpenAPI examples. */
final class ConventionExamples {

    private ConventionExamples() {
    }

    static final String CONTENT = """
            {"title":"Charte territoriale Métropole de Lyon","periodStartYear":2011,"periodEndYear":2013,
             "sections":[
              {"code":"CIL_INTERVENTIONS_OFFRE","title":"Interventions des CIL","text":"Financement de 300 PLUS/PLAI par an"},
              {"code":"VALORISATION_EMPLOI_MOBILITE","title":"Emploi et mobilité","text":"Mobilisation de logements pour les salariés en mobilité"},
              {"code":"ENGAGEMENTS_COLLECTIVITE_OFFRE","title":"Engagements de la collectivité","text":"Foncier pour petits logements jeunes"},
              {"code":"ENGAGEMENTS_COLLECTIVITE_INSTANCES","title":"Instances","text":"Siège au comité de pilotage du PLH"}],
             "devices":["CONSTRUCTION_PLUS_PLAI_PLS","GRL"],
             "objectives":[{"indicator":"CONSTRUCTION_NEUVE","publicPrioritaire":"JEUNES_SALARIES","year":2012,"target":150}],
             "signatories":[
              {"partyType":"CIL","partyId":"775574166","name":"CIL Rhône"},
              {"partyType":"APAGL","partyId":"APAGL","name":"APAGL","ueslConcertation":"Décision UESL 2011-14"},
              {"partyType":"COLLECTIVITE","partyId":"200046977","name":"Métropole de Lyon"}],
             "commitments":[{"cilId":"775574166","product":"PASS_FONCIER","year":2012,"amount":50,"collective":false,"prescriber":"CIL"}],
             "reservationCosts":[{"category":"PLUS","unitCostEuros":25000}],
             "communicationPlan":{"needsStudies":"Restitution annuelle des études","financingPublicity":"Logo Action Logement sur les chantiers"},
             "partners":[{"partyType":"AUTRE","partyId":"CLLAJ-LYON","name":"CLLAJ de Lyon","role":"Logement des jeunes"}],
             "actions":[
              {"partyKey":"CIL:775574166","device":"CONSTRUCTION_PLUS_PLAI_PLS","publics":["JEUNES_SALARIES"],"description":"Prêts PLUS"},
              {"partyKey":"APAGL:APAGL","device":"GRL","publics":["SALARIES_PRECAIRES_MODESTES"],"description":"GRL"},
              {"partyKey":"COLLECTIVITE:200046977","device":"MISE_A_DISPOSITION_FONCIER","publics":["JEUNES_SALARIES"],"description":"Foncier"}],
             "ueslSignatureRequested":false}""";
}
