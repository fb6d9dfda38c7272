package fr.actionlogement.territorial.systemtests.performance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import fr.actionlogement.territorial.localstack.LocalStack;

/**
 * PostgreSQL's own figure for what a request costs the database: the statements a service really runs for one
 * request are captured from the server's CSV log ({@code log_statement = all} for the length of one request, bound
 * parameters included), then replayed by pgbench at the same concurrency, prepared, with nothing else in between.
 * The stack's PostgreSQL must have been started with {@link #serverSettings}.
 */
final class SqlBaseline {

    static Map<String, String> serverSettings(Path logDir) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("logging_collector", "on");
        s.put("log_destination", "csvlog");
        s.put("log_directory", logDir.toAbsolutePath().toString());
        s.put("log_filename", "postgresql.log");
        s.put("log_rotation_size", "0");
        s.put("log_rotation_age", "0");
        return s;
    }

    /**
     * Statements of the outbox relay and of housekeeping, which run on their own schedule, not for the request. (A
     * write's own {@code pg_notify}, which wakes the relay, is part of the request and stays.)
     */
    private static final Pattern BACKGROUND = Pattern.compile(
            "(?is).*(pg_try_advisory|published_at\\s+IS\\s+NULL|SET\\s+published_at|SKIP\\s+LOCKED|"
                    + "idempotency_record\\s+WHERE\\s+created_at|LISTEN\\s).*");
    /**
     * A versioned update: Hibernate's {@code set ..., version=<n+1> where ... and version=<n>}, or plain SQL's
     * {@code version = version + 1 ... AND version = <n>}.
     */
    private static final Pattern VERSIONED_UPDATE = Pattern.compile(
            "(?is)(\\bupdate\\s.*?\\bversion\\s*=\\s*)(?:'?\\d+'?|version\\s*\\+\\s*1)(\\s+where\\s.*?)\\s+and\\s+version\\s*=\\s*'?\\d+'?");
    private static final Pattern UUID_LITERAL = Pattern.compile(
            "'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'");
    private static final Pattern PGBENCH_VARIABLE = Pattern.compile(":[\\p{L}\\p{N}_]");
    private static final Pattern PARAM = Pattern.compile("\\$(\\d+) = (NULL|'(?:[^']|'')*')");

    private final LocalStack stack;
    private final Path logDir;
    private final Path workDir;

    SqlBaseline(LocalStack stack, Path logDir, Path workDir) {
        this.stack = stack;
        this.logDir = logDir;
        this.workDir = workDir;
    }

    /** The SQL one run of {@code request} sends to {@code database}, parameters inlined, in order. */
    List<String> capture(String database, Runnable request) {
        Path csv = logDir.resolve("postgresql.csv");
        setLogStatement("all");
        long from = size(csv);
        request.run();
        Load.sleep(Duration.ofMillis(300));
        setLogStatement("none");
        long to = size(csv);
        List<List<String>> rows = CsvRows.parse(read(csv, from, to));
        // Group by backend and transaction, drop every group that holds a background statement (its BEGIN too).
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Map<String, Boolean> background = new LinkedHashMap<>();
        for (List<String> row : rows) {
            if (row.size() < 15 || !database.equals(row.get(2))) {
                continue;
            }
            String message = row.get(13);
            Optional<String> sql = statement(message);
            if (sql.isEmpty()) {
                continue;
            }
            String group = row.get(3) + "/" + row.get(9);
            String inlined = inline(sql.get(), row.get(14));
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(inlined);
            if (BACKGROUND.matcher(inlined).matches()) {
                background.put(group, true);
            }
        }
        List<String> statements = new ArrayList<>();
        groups.forEach((g, list) -> {
            if (!background.getOrDefault(g, false)) {
                statements.addAll(list);
            }
        });
        return statements;
    }

    /** pgbench on the captured statements: {@code concurrency} clients, prepared, for the duration. */
    Load.Result pgbench(String name, String database, List<String> statements, int concurrency, Duration duration) {
        try {
            Path dir = Files.createDirectories(workDir.resolve("pgbench-" + name.replaceAll("\\W+", "-") + "-c"
                    + concurrency));
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            Path script = dir.resolve("script.sql");
            StringBuilder text = new StringBuilder();
            for (String s : statements) {
                String line = replayable(s).replaceAll("\\s+", " ").trim();
                text.append(line).append(line.endsWith("\\gset") ? "\n" : ";\n");
            }
            Files.writeString(script, text);
            String url = stack.jdbcUrl(database); // jdbc:postgresql://127.0.0.1:PORT/db
            Matcher m = Pattern.compile("//([^:/]+):(\\d+)/").matcher(url);
            if (!m.find()) {
                throw new IllegalStateException("unexpected JDBC URL " + url);
            }
            List<String> cmd = List.of("pgbench", "-n", "-M", "prepared", "-c", String.valueOf(concurrency), "-j",
                    String.valueOf(Math.min(concurrency, 2)), "-T", String.valueOf(duration.toSeconds()), "-l",
                    "--log-prefix=" + dir.resolve("tx"), "-f", script.toString(), "-h", m.group(1), "-p",
                    m.group(2), "-U", "postgres", database);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pgbench.out").toFile());
            pb.environment().put("PGPASSWORD", "postgres");
            Process p = pb.start();
            if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("pgbench failed: " + Files.readString(dir.resolve("pgbench.out")));
            }
            String out = Files.readString(dir.resolve("pgbench.out"));
            Matcher tx = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(out);
            long transactions = tx.find() ? Long.parseLong(tx.group(1)) : 0;
            Histogram latency = new Histogram(60_000_000L, 3);
            try (Stream<Path> logs = Files.list(dir)) {
                for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("tx")).toList()) {
                    for (String line : Files.readAllLines(log)) {
                        String[] f = line.split(" ");
                        if (f.length > 2) {
                            latency.recordValue(Math.min(Long.parseLong(f[2]), 60_000_000L));
                        }
                    }
                }
            }
            return new Load.Result(name, concurrency, transactions, duration.toSeconds(),
                    Map.of(200, transactions), 0, latency, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A write replayed as captured would do less each time than the request did: its versioned UPDATE would match no
     * row after the first run (the version has moved), and its INSERT of the outbox row would break the unique event
     * id. So the UPDATE moves the version ({@code version = version + 1}, without the check) and an INSERT's UUID
     * literals become fresh ids; reads are replayed unchanged.
     */
    static String replayable(String sql) {
        String out = VERSIONED_UPDATE.matcher(sql).replaceAll("$1version + 1$2");
        if (out.stripLeading().regionMatches(true, 0, "insert", 0, 6)) {
            out = UUID_LITERAL.matcher(out).replaceAll("gen_random_uuid()");
        }
        return colonsEscaped(out);
    }

    /**
     * pgbench takes {@code :name} for one of its variables even inside a string literal (a JSON document's
     * {@code "parentCilId":null}, an id such as {@code 'BASSIN:lyon'}): such a literal is written as the same
     * constant in Unicode-escape form, {@code U&'...\003A...'}, which pgbench leaves alone.
     */
    static String colonsEscaped(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char ch = sql.charAt(i);
            if (ch != '\'') {
                out.append(ch);
                i++;
                continue;
            }
            int end = i + 1;
            while (end < sql.length() && !(sql.charAt(end) == '\'' && (end + 1 == sql.length()
                    || sql.charAt(end + 1) != '\''))) {
                end += sql.charAt(end) == '\'' ? 2 : 1; // '' is a quote inside the literal
            }
            String literal = sql.substring(i + 1, Math.min(end, sql.length()));
            if (PGBENCH_VARIABLE.matcher(literal).find()) {
                out.append("U&'").append(literal.replace("\\", "\\\\").replace(":", "\\003A")).append('\'');
            } else {
                out.append('\'').append(literal).append('\'');
            }
            i = end + 1;
        }
        return out.toString();
    }

    static boolean pgbenchAvailable() {
        try {
            Process p = new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<String> statement(String message) {
        // "execute <unnamed>: SELECT ..." (extended protocol), "execute S_3: ...", "statement: ..." (simple).
        if (message.startsWith("execute ") || message.startsWith("statement: ")) {
            int colon = message.indexOf(": ");
            return colon < 0 ? Optional.empty() : Optional.of(message.substring(colon + 2));
        }
        return Optional.empty();
    }

    /** Replaces $n by the value the log's detail gives for it ("parameters: $1 = 'x', $2 = NULL"). */
    static String inline(String sql, String detail) {
        Map<Integer, String> values = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(detail == null ? "" : detail);
        while (m.find()) {
            values.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        String out = sql;
        for (int i = values.size(); i >= 1; i--) {
            String v = values.get(i);
            if (v != null) {
                out = out.replace("$" + i, v);
            }
        }
        return out;
    }

    private void setLogStatement(String value) {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl("postgres"), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET log_statement = '" + value + "'");
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not set log_statement", e);
        }
        Load.sleep(Duration.ofMillis(300)); // backends read the new setting before their next command
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file, long from, long to) {
        try {
            byte[] all = Files.readAllBytes(file);
            return new String(all, (int) from, (int) (Math.min(to, all.length) - from), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180 rows (PostgreSQL's csvlog quotes fields that hold commas, quotes or line breaks). */
    static final class CsvRows {
        private CsvRows() {
        }

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (ch == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else if (ch != '\r') {
                    field.append(ch);
                }
            }
            return rows;
        }
    }
}
