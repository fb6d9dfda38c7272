package fr.actionlogement.territorial.observatory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the observatory; every default is documented in the module README. */
@ConfigMapping(prefix = "observatory")
public interface ObservatoryConfig {

    Import csvImport();

    Export export();

    Study study();

    interface Import {
        /**
         * Rejected rows tolerated by default before an import is refused as a whole (fatal: nothing imported). A
         * request may lower it with {@code maxRejected}, down to 0 for all-or-nothing.
         */
        @WithDefault("10000")
        long maxRejectedRows();

        /** Rejected rows kept in the import's report (the count is always exact). */
        @WithDefault("1000")
        int reportedRejections();

        /** Largest CSV accepted, in bytes (413 beyond). */
        @WithDefault("200000000")
        long maxBytes();
    }

    interface Export {
        /** Rows fetched per round trip while streaming an export (the whole result is never held in memory). */
        @WithDefault("5000")
        int fetchSize();

        /** Most rows one export may return; narrow the filters beyond. */
        @WithDefault("5000000")
        long maxRows();
    }

    interface Study {
        /**
         * a CIL present on a territory's parent (its département, its EPCI...) or on one of its parts counts as
         * present on it. False: presence on the study's territory itself only.
         */
        @WithDefault("true")
        boolean presenceIncludesRelatedTerritories();

        /** Largest report file attached to a study, in bytes. */
        @WithDefault("20000000")
        int maxReportBytes();
    }
}
