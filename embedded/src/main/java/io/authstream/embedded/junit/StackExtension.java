package io.authstream.embedded.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a {@link TestStack}: declare {@code @ExtendWith(StackExtension.class)}
 * and take a {@code TestStack} parameter (constructor, lifecycle or test method). The stack starts
 * on first use and is shared by every test class in the JVM; it stops when the JVM exits.
 */
public final class StackExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return TestStack.shared();
    }
}
