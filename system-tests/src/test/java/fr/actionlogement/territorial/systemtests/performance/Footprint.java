package fr.actionlogement.territorial.systemtests.performance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import fr.actionlogement.territorial.localstack.LocalStack;

/** What an app holds: its resident memory (from /proc) and its connection pool's use (from its metrics). */
record Footprint(String app, long rssMb, double poolActive, double poolMaxUsed, double poolAwaiting) {

    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

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
