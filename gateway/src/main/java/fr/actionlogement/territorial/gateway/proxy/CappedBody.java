package fr.actionlogement.territorial.gateway.proxy;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * The upstream request as the target of the caller's body, counting the bytes as they pass: past {@code max} the
 * write fails with {@link TooLarge} (the pipe stops, nothing more is forwarded). A declared Content-Length is checked
 * before; this is what catches a chunked body.
 */
final class CappedBody implements WriteStream<Buffer> {

    static final class TooLarge extends RuntimeException {
        TooLarge(long max) {
            super("request body over " + max + " bytes", null, false, false);
        }
    }

    private final WriteStream<Buffer> out;
    private final long max;
    private long count;
    private boolean over;

    CappedBody(WriteStream<Buffer> out, long max) {
        this.out = out;
        this.max = max;
    }

    static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLarge) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Future<Void> write(Buffer data) {
        count += data.length();
        if (over || count > max) {
            // The pipe may still hand over chunks it had queued: never to the request, which is reset by then.
            over = true;
            return Future.failedFuture(new TooLarge(max));
        }
        return out.write(data);
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data).onComplete(handler);
    }

    @Override
    public Future<Void> end() {
        return out.end();
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        out.end(handler);
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        out.exceptionHandler(handler);
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        out.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return !over && out.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        out.drainHandler(handler);
        return this;
    }
}
