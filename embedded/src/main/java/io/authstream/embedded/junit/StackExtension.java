package io.authstream.embedded.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a {@link TestStack}: declare {@code @ExtendWith(StackExtension.class)}
 * and take a {@code TestStack} parameter (constructor, lifecycle or test method). The stack starts
 * on first use and is shared by every test class in the JVM; it stops when the JVM's tests end.
 */
public final class StackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(StackResource.class, k -> new StackResource(), StackResource.class)
                .stack;
    }

    /** Closed by JUnit when the root context closes, i.e. after the last test of the JVM. */
    private static final class StackResource implements AutoCloseable {
        final TestStack stack = new TestStack();

        @Override
        public void close() {
            stack.close();
        }
    }
}
