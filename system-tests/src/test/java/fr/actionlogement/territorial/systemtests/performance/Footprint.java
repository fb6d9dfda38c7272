package fr.actionlogement.territorial.systemtests.performance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import fr.actionlogement.territorial.localstack.LocalStack;

/** What an app holds: its resident memory (from /proc) and its connection pool's use (from its metrics). */
record Footprint(String app, long rssMb, double poolActive, double poolMaxUsed, double poolAwaiting) {

    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");
    private static final Pattern INITIAL_HEAP = Pattern.compile("-XX:InitialHeapSize=(\\d+)");
    private static final Pattern GC = Pattern.compile("-XX:\\+Use(\\w+GC)\\b");
    private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+[.,]\\d+)s");

    static Footprint of(LocalStack stack, String app) {
        long rss = stack.process(app).map(p -> rssKb(p.pid()) / 1024).orElse(-1L);
        String metrics = metrics(stack.url(app) + "/q/metrics");
        return new Footprint(app, rss, gauge(metrics, "agroal_active_count"), gauge(metrics, "agroal_max_used_count"),
                gauge(metrics, "agroal_awaiting_count"));
    }

    String describe() {
        return poolActive < 0 ? String.format("%s: RSS %d MB", app, rssMb)
                : String.format("%s: RSS %d MB, pool active %.0f, max used %.0f, awaiting %.0f", app, rssMb,
                        poolActive, poolMaxUsed, poolAwaiting);
    }

    /**
     * The heap and GC the JVM actually chose (from {@code jcmd <pid> VM.flags}): initial and maximum heap, the
     * collector, and the options it was started with that bear on memory; "?" when jcmd cannot attach.
     */
    static String heapSettings(LocalStack stack, String app) {
        return stack.process(app).map(p -> heapSettings(p.pid())).orElse("?");
    }

    private static String heapSettings(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "VM.flags").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher max = MAX_HEAP.matcher(out);
            Matcher gc = GC.matcher(out);
            if (!max.find()) {
                return "?";
            }
            Matcher init = INITIAL_HEAP.matcher(out);
            return String.format("Xms %d MB, Xmx %d MB, %s", init.find() ? Long.parseLong(init.group(1)) >> 20 : -1,
                    Long.parseLong(max.group(1)) >> 20, gc.find() ? gc.group(1) : "?");
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** The last "started in N.NNNs" of an app's log (Quarkus' own boot time, after the JVM started), or -1. */
    static double quarkusStartedIn(LocalStack stack, String app) {
        try {
            Matcher m = STARTED_IN.matcher(Files.readString(stack.log(app)));
            double last = -1;
            while (m.find()) {
                last = Double.parseDouble(m.group(1).replace(',', '.'));
            }
            return last;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long rssKb(long pid) {
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String metrics(String url) {
        try {
            HttpResponse<String> r = Load.HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The value of a gauge (summed over its series), or -1 when the app does not publish it. */
    private static double gauge(String metrics, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : -1;
    }
}
