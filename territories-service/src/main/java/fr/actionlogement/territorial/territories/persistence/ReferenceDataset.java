package fr.actionlogement.territorial.territories.persistence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.territories.domain.ReferenceTerritory;
import fr.actionlogement.territorial.territories.domain.TerritoryKind;

/**
 * One data year of {@code @etalab/decoupage-administratif}, read from the shipped resources or a folder, and turned
 * into territories. The facts of R-30 are derived here: the commune → EPCI link comes from {@code epci.membres};
 * overseas collectivities (zone {@code com}) are neither regions nor départements; Paris, which has no EPT body of
 * its own, is the Grand Paris territory T1.
 */
public final class ReferenceDataset {

    /** Bumped when the derivation below changes, so that an unchanged data year is still re-derived. */
    static final String DERIVATION_VERSION = "1";
    static final String[] FILES = { "regions", "departements", "communes", "epci", "ept", "arrondissements" };

    /** Paris is territory T1 of the Métropole du Grand Paris; INSEE's EPT list has the other eleven. */
    static final String PARIS = "75056";
    static final String PARIS_T1_SIREN = "217500016";

    public record CommunePart(String type, String code, String name, String parentCode, List<String> postcodes) {
    }

    /**
     * One object of any of the dataset's files, with only the fields the derivation reads (each file uses a subset).
     * Bound directly rather than read as JSON trees (a node per value, a map per object): a load's heap grows to what
     * it holds at its peak, and a pod keeps that heap committed afterwards (docs/performance.md).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String code, String nom, String zone, String region, String departement, String type, String siren,
            String chefLieu, String commune, List<String> codesPostaux, List<String> anciensCodes, Integer population,
            Integer populationTotale, List<Member> membres) {
    }

    /** A member commune of an EPCI or EPT. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Member(String code) {
    }

    private static final TypeReference<List<Entry>> ENTRIES = new TypeReference<>() {
    };

    private final String source;
    private final String sourceVersion;
    private final int millesime;
    private final String checksum;
    private final List<ReferenceTerritory> territories;
    private final List<CommunePart> parts;

    private ReferenceDataset(String source, String sourceVersion, int millesime, String checksum,
            List<ReferenceTerritory> territories, List<CommunePart> parts) {
        this.source = source;
        this.sourceVersion = sourceVersion;
        this.millesime = millesime;
        this.checksum = checksum;
        this.territories = territories;
        this.parts = parts;
    }

    /** What identifies a dataset without parsing it: its properties and the checksum {@link #read} computes. */
    public record Fingerprint(String source, String sourceVersion, int millesime, String checksum) {
    }

    /**
     * The dataset's checksum and properties, from its bytes alone (no JSON parsing, no derivation): a few hundred
     * milliseconds where {@link #read} takes seconds and tens of megabytes of heap, so a start-up whose data
     * year is already applied skips the work.
     */
    public static Fingerprint fingerprint(String location) {
        Function<String, byte[]> files = files(location);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Properties p = properties(location, files, digest);
            for (String name : FILES) {
                digest.update(raw(location, files, name));
            }
            return new Fingerprint(p.getProperty("source", "@etalab/decoupage-administratif"),
                    p.getProperty("source.version", "?"), Integer.parseInt(p.getProperty("millesime").strip()),
                    HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the reference dataset at " + location, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Function<String, byte[]> files(String location) {
        return location.startsWith("classpath:")
                ? classpathFolder(location.substring("classpath:".length()))
                : folder(Path.of(location));
    }

    /** Reads dataset.properties, after putting the derivation version and the properties into the digest. */
    private static Properties properties(String location, Function<String, byte[]> files, MessageDigest digest)
            throws IOException {
        digest.update(DERIVATION_VERSION.getBytes());
        byte[] props = files.apply("dataset.properties");
        if (props == null) {
            throw new IllegalArgumentException("no dataset.properties in " + location);
        }
        digest.update(props);
        Properties p = new Properties();
        p.load(new StringReader(new String(props, java.nio.charset.StandardCharsets.UTF_8)));
        return p;
    }

    private static byte[] raw(String location, Function<String, byte[]> files, String name) throws IOException {
        byte[] gz = files.apply(name + ".json.gz");
        byte[] raw = gz != null ? gunzip(gz) : files.apply(name + ".json");
        if (raw == null) {
            throw new IllegalArgumentException("missing " + name + ".json(.gz) in " + location);
        }
        return raw;
    }

    /** @param location {@code classpath:<folder>} or a filesystem folder */
    public static ReferenceDataset read(String location, ObjectMapper mapper) {
        Function<String, byte[]> files = files(location);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Properties p = properties(location, files, digest);
            Map<String, List<Entry>> json = new HashMap<>();
            for (String name : FILES) {
                byte[] raw = raw(location, files, name);
                digest.update(raw);
                json.put(name, mapper.readValue(raw, ENTRIES));
            }
            int millesime = Integer.parseInt(p.getProperty("millesime").strip());
            ReferenceDataset ds = new ReferenceDataset(p.getProperty("source", "@etalab/decoupage-administratif"),
                    p.getProperty("source.version", "?"), millesime, HexFormat.of().formatHex(digest.digest()),
                    new ArrayList<>(), new ArrayList<>());
            ds.derive(json);
            return ds;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the reference dataset at " + location, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void derive(Map<String, List<Entry>> json) {
        for (Entry r : json.get("regions")) {
            if (isCom(r)) {
                continue; // overseas collectivities: regions only by the dataset's encoding
            }
            territories.add(territory(TerritoryKind.REGION, text(r.code()), text(r.nom()), text(r.zone()),
                    null, null, null, null, null, null, List.of(), null, List.of(), List.of()));
        }
        for (Entry d : json.get("departements")) {
            if (isCom(d)) {
                continue;
            }
            territories.add(territory(TerritoryKind.DEPARTEMENT, text(d.code()), text(d.nom()), text(d.zone()),
                    text(d.region()), null, null, null, null, null, List.of(), null, List.of(), List.of()));
        }
        Map<String, Entry> communes = new HashMap<>();
        for (Entry c : json.get("communes")) {
            if ("commune-actuelle".equals(text(c.type()))) {
                communes.put(text(c.code()), c);
            }
        }
        Map<String, String> epciOf = new HashMap<>();
        Map<String, String> eptOf = new HashMap<>();
        addGroupings(json.get("epci"), communes, epciOf, false);
        addGroupings(json.get("ept"), communes, eptOf, true);
        if (communes.containsKey(PARIS) && !eptOf.containsKey(PARIS)) {
            Entry paris = communes.get(PARIS);
            eptOf.put(PARIS, PARIS_T1_SIREN);
            territories.add(territory(TerritoryKind.EPCI, PARIS_T1_SIREN, "Paris (territoire T1 du Grand Paris)",
                    text(paris.zone()), text(paris.region()), text(paris.departement()), null, null, "EPT",
                    PARIS_T1_SIREN, List.of(), paris.population(), List.of(PARIS), List.of()));
        }
        for (Entry c : communes.values()) {
            String code = text(c.code());
            boolean com = isCom(c);
            territories.add(territory(TerritoryKind.COMMUNE, code, text(c.nom()), text(c.zone()),
                    com ? null : text(c.region()), com ? null : text(c.departement()), epciOf.get(code),
                    eptOf.get(code), null, text(c.siren()), strings(c.codesPostaux()), c.population(), List.of(),
                    strings(c.anciensCodes())));
        }
        for (Entry c : json.get("communes")) {
            String type = text(c.type());
            if ("commune-deleguee".equals(type) || "commune-associee".equals(type)) {
                parts.add(new CommunePart(type, text(c.code()), text(c.nom()), text(c.chefLieu()), List.of()));
            } else if ("arrondissement-municipal".equals(type)) {
                parts.add(new CommunePart(type, text(c.code()), text(c.nom()), text(c.commune()),
                        strings(c.codesPostaux())));
            }
        }
        territories.sort(Comparator.comparing(ReferenceTerritory::id));
    }

    private void addGroupings(List<Entry> groupings, Map<String, Entry> communes, Map<String, String> link,
            boolean ept) {
        for (Entry g : groupings) {
            String siren = text(g.code());
            List<String> members = new ArrayList<>();
            for (Member m : g.membres() == null ? List.<Member> of() : g.membres()) {
                members.add(text(m.code()));
                link.put(text(m.code()), siren);
            }
            // A grouping may straddle départements: it is filed under the département of most of its members.
            Map<String, Long> byDepartement = members.stream().map(communes::get).filter(java.util.Objects::nonNull)
                    .collect(Collectors.groupingBy(c -> text(c.departement()), Collectors.counting()));
            // Ties go to the smallest code, so the result never depends on iteration order.
            String dep = byDepartement.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey).orElse(null);
            Entry sample = members.stream().map(communes::get).filter(java.util.Objects::nonNull)
                    .filter(c -> dep != null && dep.equals(text(c.departement()))).findFirst().orElse(null);
            territories.add(territory(TerritoryKind.EPCI, siren, text(g.nom()),
                    sample == null ? null : text(sample.zone()), sample == null ? null : text(sample.region()), dep,
                    null, null, ept ? "EPT" : text(g.type()), siren, List.of(), g.populationTotale(),
                    members.stream().sorted().toList(), List.of()));
        }
    }

    private ReferenceTerritory territory(TerritoryKind kind, String code, String name, String zone, String region,
            String departement, String epci, String ept, String nature, String siren, List<String> postcodes,
            Integer population, List<String> members, List<String> formerCodes) {
        return new ReferenceTerritory(kind, code, name, zone, region, departement, epci, ept, nature, siren, postcodes,
                population, members, formerCodes, millesime, false, List.of());
    }

    private static boolean isCom(Entry e) {
        return "com".equals(text(e.zone()));
    }

    /** The dataset writes an absent value as an empty string. */
    private static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static List<String> strings(List<String> values) {
        return values == null ? List.of() : values;
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static Function<String, byte[]> classpathFolder(String folder) {
        return name -> {
            try (InputStream in = Thread.currentThread().getContextClassLoader()
                    .getResourceAsStream(folder + "/" + name)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Function<String, byte[]> folder(Path folder) {
        return name -> {
            Path file = folder.resolve(name);
            try {
                return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    public String source() {
        return source;
    }

    public String sourceVersion() {
        return sourceVersion;
    }

    public int millesime() {
        return millesime;
    }

    public String checksum() {
        return checksum;
    }

    public List<ReferenceTerritory> territories() {
        return territories;
    }

    public List<CommunePart> parts() {
        return parts;
    }
}
