package fr.actionlogement.territorial.territories.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the territories service (environment variables TERRITORIES_...). */
@ConfigMapping(prefix = "territories")
public interface TerritoriesConfig {

    Reference reference();

    Conference conference();

    Tension tension();

    Topics topics();

    interface Reference {
        /**
         * Where the data year to load lives: {@code classpath:<folder>} (the shipped dataset) or a filesystem
         * folder holding communes, epci, ept, departements, regions, arrondissements (.json or .json.gz) and a
         * {@code dataset.properties}. Point it at a new year's folder to load that year.
         */
        @WithDefault("classpath:reference/decoupage-administratif-6.0.0")
        String location();

        /** Load (idempotently) at start-up; a dataset already applied with the same checksum is skipped. */
        @WithDefault("true")
        boolean loadAtStartup();

        /**
         * Run the start-up tasks (topic, data year, seeded basins, overdue check) on a thread of their own, beside
         * the rest of the start, with the readiness check {@code territories-startup} saying when the service can
         * serve; false runs them on the main thread before the HTTP port opens (the unit tests, which expect the
         * data in place when they start).
         */
        @WithDefault("true")
        boolean startupInBackground();

        /** Create the compacted reference topic at start-up when it is missing. */
        @WithDefault("true")
        boolean createTopic();

        /** Partitions of the reference topic when this service creates it. */
        @WithDefault("3")
        int topicPartitions();

        /** Replication factor of the reference topic when this service creates it (3 in production). */
        @WithDefault("1")
        short topicReplicationFactor();
    }

    interface Conference {
        /** months after max(wave start, protocol signature) to install a conférence territoriale. */
        @WithDefault("6")
        int installationDelayMonths();

        /** How often the overdue check runs (it also runs at start-up). */
        @WithDefault("1h")
        String overdueCheckEvery();

        /** Off in a replica that must not check (the check is safe with several replicas anyway). */
        @WithDefault("true")
        boolean overdueCheckEnabled();

        /** Time zone of "today" for deadlines. */
        @WithDefault("Europe/Paris")
        String zone();
    }

    interface Tension {
        /** Largest tension CSV accepted, in bytes. */
        @WithDefault("5000000")
        int maxCsvBytes();

        /** Largest number of rows in one tension CSV (France has about 35,000 communes). */
        @WithDefault("40000")
        int maxCsvRows();
    }

    interface Topics {
        @WithDefault("territories.events.v1")
        String events();

        @WithDefault("territories.reference.v1")
        String reference();
    }
}
