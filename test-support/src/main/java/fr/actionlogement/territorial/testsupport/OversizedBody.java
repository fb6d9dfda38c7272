package fr.actionlogement.territorial.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An oversized JSON body sent over a raw socket, the way a careless or hostile client would: the body is written
 * until the server answers or closes the connection, so a test can tell whether the server refused it early (how
 * much had been sent when the answer came) rather than after reading it whole.
 */
public final class OversizedBody {

    /** The status line, the head, the body of the answer, when it came and how many body bytes were sent by then. */
    public record Answer(String status, String head, String body, long millis, long sent) {
    }

    private OversizedBody() {
    }

    /**
     * POSTs {@code size} bytes of JSON ({@code [} then spaces) to {@code path}, announced by {@code Content-Length}
     * or sent chunked.
     */
    public static Answer post(URI base, String path, Map<String, String> headers, long size, boolean chunked)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            AtomicLong sent = new AtomicLong();
            long start = System.nanoTime();
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nContent-Type: application/json\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n");
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                chunk[0] = '[';
                byte[] prefix = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < size) {
                        if (chunked) {
                            out.write(prefix);
                        }
                        out.write(chunk);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        sent.addAndGet(chunk.length);
                        chunk[0] = ' ';
                    }
                } catch (IOException closed) {
                    // the server closed the connection after its answer: expected
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            String text = "";
            int n;
            while ((n = in.read(buf)) > 0) {
                answer.write(buf, 0, n);
                text = answer.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && text.indexOf('}', end) > 0) {
                    break;
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long at = sent.get();
            socket.close();
            writer.join(10_000);
            int end = text.indexOf("\r\n\r\n");
            String status = end < 0 ? text : text.substring(0, end);
            return new Answer(status.lines().findFirst().orElse(""), status, end < 0 ? "" : text.substring(end + 4),
                    millis, at);
        }
    }
}
