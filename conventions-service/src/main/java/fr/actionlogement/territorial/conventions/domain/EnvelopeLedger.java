package fr.actionlogement.territorial.conventions.domain;

import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Port: contingent envelopes set by the UESL and what other conventions already commit on them.
 * <p>
 * Commitments on one envelope are serialised: {@link #envelope} locks the envelope until the transaction ends, and
 * the rules take envelopes in (CIL, product, year) order, so {@link #committedElsewhere} read after it sees every
 * commitment accepted before and none can be accepted until this one is decided.
 */
public interface EnvelopeLedger {

    /** the convention statuses whose commitments use the envelope, from the negotiation on. */
    Set<ConventionStatus> COUNTED = EnumSet.of(ConventionStatus.IN_NEGOTIATION,
            ConventionStatus.READY_FOR_SIGNATURE, ConventionStatus.SIGNED, ConventionStatus.EVALUATED);

    /** The envelope's amount, locked for the rest of the transaction. */
    OptionalLong envelope(String cilId, String product, int year);

    /** What every other convention in a {@link #COUNTED} status commits on the envelope. */
    long committedElsewhere(String cilId, String product, int year, String excludingConventionId);
}
