package fr.actionlogement.territorial.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** A caller that goes away mid-answer is an ordinary event: no WARN, no exception logged, the service's call cut. */
@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class DisconnectTest {

    @TestHTTPResource("/")
    URI gateway;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() || record.getThrown() != null) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    @DisplayName("a download cancelled by the caller after its first bytes logs no warning and no exception")
    void cancelledDownloadLogsNothing() throws Exception {
        FakeUpstreams upstreams = FakeUpstreams.get();
        for (int i = 0; i < 5; i++) {
            upstreams.downloadFirstRead = new CountDownLatch(1);
            try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /api/territories/download HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + TestTokens.uesl() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                long read = 0;
                while (read < 256 * 1024) {
                    int n = in.read(buffer);
                    assertThat(n).isPositive();
                    read += n;
                }
                // Cancelled: the connection closes with most of the answer unread.
                socket.setSoLinger(true, 0);
            }
            // The service sends the rest now, into a call the gateway has reset.
            upstreams.downloadFirstRead.countDown();
        }
        Thread.sleep(1_500);
        assertThat(logged).extracting(r -> r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown())
                .filteredOn(line -> !line.contains("FakeUpstreams") && !line.contains("com.sun.net.httpserver"))
                .isEmpty();
    }

    @Test
    @DisplayName("requests on a keep-alive connection closed by the caller right after its answers log nothing")
    void closedKeepAliveConnectionLogsNothing() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /api/territories/echo/keepalive HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + TestTokens.uesl() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(socket.getInputStream().read(new byte[1024])).isPositive();
                socket.setSoLinger(true, 0);
            }
        }
        Thread.sleep(1_000);
        assertThat(logged).extracting(r -> r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown())
                .filteredOn(line -> !line.contains("FakeUpstreams") && !line.contains("com.sun.net.httpserver"))
                .isEmpty();
    }
}
