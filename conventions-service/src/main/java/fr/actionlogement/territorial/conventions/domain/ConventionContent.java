package fr.actionlogement.territorial.conventions.domain;

import java.util.List;

/** Everything negotiated in a convention: the part a revision or an amendment replaces as a whole. */
public record ConventionContent(
        String title,
        Integer periodStartYear,
        Integer periodEndYear,
        List<Section> sections,
        List<Device> devices,
        List<Objective> objectives,
        List<Signatory> signatories,
        List<FinancialCommitment> commitments,
        List<ReservationCost> reservationCosts,
        CommunicationPlan communicationPlan,
        List<Partner> partners,
        List<PartyAction> actions,
        boolean ueslSignatureRequested,
        String plhReference) {

    public ConventionContent {
        sections = Values.list(sections);
        devices = Values.list(devices).stream().distinct().toList();
        objectives = Values.list(objectives);
        signatories = Values.list(signatories);
        commitments = Values.list(commitments);
        reservationCosts = Values.list(reservationCosts);
        partners = Values.list(partners);
        actions = Values.list(actions);
    }

    static ConventionContent initial(String title, int startYear, int endYear, List<Section> sections) {
        return new ConventionContent(title, startYear, endYear, sections, List.of(), List.of(), List.of(), List.of(),
                List.of(), null, List.of(), List.of(), false, null);
    }

    ConventionContent withUeslSignatureRequested(boolean requested) {
        return new ConventionContent(title, periodStartYear, periodEndYear, sections, devices, objectives, signatories,
                commitments, reservationCosts, communicationPlan, partners, actions, requested, plhReference);
    }

    ConventionContent withObjectives(List<Objective> values) {
        return new ConventionContent(title, periodStartYear, periodEndYear, sections, devices, values, signatories,
                commitments, reservationCosts, communicationPlan, partners, actions, ueslSignatureRequested,
                plhReference);
    }
}
