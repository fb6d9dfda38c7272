package fr.actionlogement.territorial.partnerships.domain;

/**
 * The local authority party, as found in the territory reference: its id (INSEE code of a commune, SIREN of an
 * EPCI), the territory id and the region whose délégué territorial receives the draft.
 */
public record Authority(String collectiviteId, String territoryId, String name, String regionCode) {
}
