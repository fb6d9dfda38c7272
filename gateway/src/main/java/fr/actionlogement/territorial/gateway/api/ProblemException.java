package fr.actionlogement.territorial.gateway.api;

/** Thrown in the gateway's own endpoints to answer with a problem. */
public class ProblemException extends RuntimeException {

    private final Problem.Type type;

    public ProblemException(Problem.Type type, String detail) {
        super(detail);
        this.type = type;
    }

    public Problem.Type type() {
        return type;
    }
}
