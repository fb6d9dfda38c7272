package fr.actionlogement.territorial.systemtests;

/**
 * The order of the system test classes on the one shared stack ({@code junit-platform.properties} orders classes by
 * {@code @Order}). The walkthrough runs first, on a fresh stack as a newcomer would; the journeys follow; then the
 * check that every event was consumed and none dead-lettered. Classes without {@code @Order} (security, browser,
 * fault tests: a poison record lands in a dead-letter topic on purpose) run after that check.
 */
final class JourneyOrder {

    static final int GETTING_STARTED = 1;
    static final int CONVENTION = 10;
    /** Signatures by every party and the UESL's decisions as records (ConventionSignaturesJourneyTest). */
    static final int CONVENTION_SIGNATURES = 15;
    /** The convention document (issue 15 point 8): generated, downloaded and read back. */
    static final int CONVENTION_DOCUMENT = 18;
    static final int PARTNERSHIP = 20;
    static final int OBSERVATORY = 30;
    /** Search as people type, R-33's frozen programming work, R-44's national aggregates (issue 15). */
    static final int SEARCH_AND_REFERENCE = 35;
    /** The convention and partnership journeys again, with the generated Java client (clients/java). */
    static final int GENERATED_CLIENT_CONVENTION = 40;
    static final int GENERATED_CLIENT_PARTNERSHIP = 50;
    /** Both journeys once more, run by node with the generated TypeScript client (clients/typescript). */
    static final int TYPESCRIPT_CLIENT = 60;
    /** Issue 15: agreements signed by each party, a département as party, the UESL's decision, exports. */
    static final int SIGNATURES_AND_EXPORTS = 70;
    /** The UESL's device catalogue and a contingent envelope that holds. */
    static final int DEVICE_CATALOGUE_AND_ENVELOPE = 72;
    /** After every journey, before any fault is injected. */
    static final int EVENTS_SETTLED = 100;
    /** Generated bad input on every operation: after the journeys, before FaultsTest (Integer.MAX_VALUE). */
    static final int FUZZING = Integer.MAX_VALUE - 1;

    private JourneyOrder() {
    }
}
