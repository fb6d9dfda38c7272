package fr.actionlogement.territorial.conventions.domain;

import java.util.OptionalLong;

/** Port: contingent envelopes set by the UESL and what other live conventions already commit on them. */
public interface EnvelopeLedger {

    OptionalLong envelope(String cilId, String product, int year);

    long committedElsewhere(String cilId, String product, int year, String excludingConventionId);
}
