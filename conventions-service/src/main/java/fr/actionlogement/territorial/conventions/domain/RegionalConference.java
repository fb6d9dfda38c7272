package fr.actionlogement.territorial.conventions.domain;

import java.util.List;

/** the regional conference where the convention is negotiated, as known when negotiation started. */
public record RegionalConference(String regionCode, List<String> memberCilIds) {
}
