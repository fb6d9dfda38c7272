package fr.actionlogement.territorial.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the servers tests start.
 *
 * <p>
 * Chosen below the kernel's ephemeral range: a port is chosen some seconds before its server binds it (an app of the
 * system tests' stack starts long after its port was picked), and a port from the ephemeral range (what binding port
 * 0 returns) can meanwhile become the local end of any outgoing connection on the machine, Kafka's or PostgreSQL's
 * clients included, and the server then fails with "port in use". Ports below that range are only ever taken by a
 * server that asks for one.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final int EPHEMERAL_RANGE_START = ephemeralRangeStart();
    /** Handed out by this JVM: not handed out twice, even before their servers bind them. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        int below = EPHEMERAL_RANGE_START;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (!GIVEN.contains(port) && bindable(port) && GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port between " + LOWEST + " and " + below);
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux: 32768 by default); 32768 where it cannot be read. */
    static int ephemeralRangeStart() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            int start = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
