package fr.actionlogement.territorial.systemtests.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The steps of a journey build on each other: once one fails, the later steps of the same class are skipped (and
 * reported as such) instead of failing one by one after their deadlines.
 */
public final class Stepwise implements ExecutionCondition, TestWatcher {

    private static final String FAILED = "stepwise-failed";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String failed = store(context).get(FAILED, String.class);
        return failed == null ? ConditionEvaluationResult.enabled("no earlier step failed")
                : ConditionEvaluationResult.disabled("skipped: the earlier step '" + failed + "' failed");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        store(context).put(FAILED, context.getDisplayName());
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElseThrow()
                : context;
        return classContext.getStore(ExtensionContext.Namespace.create(Stepwise.class));
    }
}
