-- The W3C traceparent of the request that wrote the event (null outside a trace): the relay sends it on, so the
-- publication and the consumers' handling join that request's trace. Applied after the services' own migrations
-- on an existing database (quarkus.flyway.out-of-order).
ALTER TABLE outbox_event ADD COLUMN traceparent TEXT;
