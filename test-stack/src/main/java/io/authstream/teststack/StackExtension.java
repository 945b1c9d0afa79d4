package io.authstream.teststack;

import io.authstream.testrecords.TestSecrets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a {@link TestStack}: declare {@code @ExtendWith(StackExtension.class)}
 * and take a {@code TestStack} parameter (constructor, lifecycle or test method). The stack starts
 * on first use and is shared by every test class in the JVM; it stops when the JVM exits.
 *
 * <p>It also reads every log line of the JVM while the test class runs and fails the class if a
 * line holds one of the {@link TestSecrets} the tests configured. The suite audit (secret-audit/)
 * checks more (every module's tests, raw console output, child processes, lines outside a class),
 * but only after a whole build; this check fails at once, names the class, and runs in a build of
 * one module too.
 */
public final class StackExtension implements ParameterResolver, BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return TestStack.shared();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(LogCapture.class, LogCapture.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try (LogCapture logs = context.getStore(NAMESPACE).remove(LogCapture.class, LogCapture.class)) {
            Set<String> secrets = TestSecrets.all();
            List<String> leaks = logs.linesContainingAny(secrets);
            if (!leaks.isEmpty()) {
                String first = leaks.get(0);
                for (String secret : secrets) {
                    first = first.replace(secret, "****");
                }
                throw new AssertionError(leaks.size() + " log line(s) of " + context.getDisplayName()
                        + " hold a configured secret; the first, masked: " + first);
            }
        }
    }
}
