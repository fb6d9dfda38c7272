-- A natural key with no check in the service: two creates of the same name collide in the database (409 expected).
CREATE TABLE probe_tag (
    name TEXT PRIMARY KEY
);
