package fr.actionlogement.territorial.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server and one real Kafka broker per test JVM: containers where a Docker engine answers,
 * otherwise servers started from Maven Central artifacts (embedded PostgreSQL binaries, Kafka in KRaft mode
 * in-process). Both listen on loopback and stop when the JVM exits.
 */
public final class RealInfrastructure {

    private static final Logger LOG = Logger.getLogger(RealInfrastructure.class);
    private static RealInfrastructure instance;

    private final String postgresHost;
    private final int postgresPort;
    private final String user;
    private final String password;
    private final String kafkaBootstrap;
    private final EmbeddedKafka embeddedKafka;

    private RealInfrastructure(String postgresHost, int postgresPort, String user, String password,
            String kafkaBootstrap, EmbeddedKafka embeddedKafka) {
        this.postgresHost = postgresHost;
        this.postgresPort = postgresPort;
        this.user = user;
        this.password = password;
        this.kafkaBootstrap = kafkaBootstrap;
        this.embeddedKafka = embeddedKafka;
    }

    public static synchronized RealInfrastructure get() {
        if (instance == null) {
            instance = dockerAvailable() ? withContainers() : embedded();
        }
        return instance;
    }

    private static boolean dockerAvailable() {
        if (Boolean.getBoolean("infrastructure.embedded") || "embedded".equals(System.getenv("TEST_INFRASTRUCTURE"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook
    private static RealInfrastructure withContainers() {
        LOG.info("Docker engine found: starting PostgreSQL and Kafka containers");
        PostgreSQLContainer pg = new PostgreSQLContainer("postgres:17-alpine");
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");
        pg.start();
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            pg.stop();
        }));
        return new RealInfrastructure(pg.getHost(), pg.getMappedPort(5432), pg.getUsername(), pg.getPassword(),
                kafka.getBootstrapServers(), null);
    }

    private static RealInfrastructure embedded() {
        long t0 = System.nanoTime();
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary();
        EmbeddedKafka kafka = EmbeddedKafka.onFreePorts().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            pg.close();
        }));
        LOG.infof("No Docker engine: started embedded PostgreSQL on port %d and Kafka on %s in %d ms", pg.port(),
                kafka.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
        return new RealInfrastructure("127.0.0.1", pg.port(), pg.user(), pg.password(), kafka.bootstrapServers(),
                kafka);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + postgresHost + ":" + postgresPort + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrap;
    }

    /** The in-process broker, when no Docker engine was used: a test may stop and restart it. */
    public java.util.Optional<EmbeddedKafka> embeddedKafka() {
        return java.util.Optional.ofNullable(embeddedKafka);
    }

    /** Creates the database unless it exists; each service (and each test profile) gets its own. */
    public synchronized void createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }
}
