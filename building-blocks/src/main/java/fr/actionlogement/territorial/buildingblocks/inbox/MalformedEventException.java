package fr.actionlogement.territorial.buildingblocks.inbox;

/** A record that is not a usable CloudEvent; the consumer nacks it and it goes to the dead-letter topic. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedEventException(String message) {
        super(message);
    }
}
