package fr.actionlogement.territorial.observatory.domain;

import java.math.BigDecimal;

/** one partner's share of a study's cost, in euros. */
public record FinancingShare(PartnerType partnerType, String partnerId, String partnerName, BigDecimal amount) {
}
