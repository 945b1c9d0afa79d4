package io.authstream.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The poms' side of the boundaries: test-jars and the test-support modules are test-scoped
 * everywhere, so no main artifact can be built against a test class. The payload fixtures are
 * the one test artifact a main artifact may use: the benchmarks post them.
 */
class TestScopeDependenciesTest {

    private static final Path ROOT = Path.of(System.getProperty("authstream.root", ".."));
    private static final Set<String> TEST_SUPPORT = Set.of("test-stack", "test-records", "test-fixtures");
    /** Modules that may use a test-support module outside test scope, and which. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "test-stack", Set.of("test-records"),
            "bench", Set.of("test-fixtures"));

    @Test
    void testJarsAndTestSupportAreTestScopedOutsideTheirOwnModules() throws Exception {
        List<String> wrong = new ArrayList<>();
        Document root = parse(ROOT.resolve("pom.xml"));
        NodeList modules = root.getElementsByTagName("module");
        assertThat(modules.getLength()).as("modules in the root pom").isGreaterThan(10);
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().trim();
            Element project = parse(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            for (Element dependency : dependencies(project)) {
                String artifact = child(dependency, "artifactId");
                String scope = child(dependency, "scope");
                boolean testScoped = "test".equals(scope);
                if ("test-jar".equals(child(dependency, "type")) && !testScoped) {
                    wrong.add(module + " depends on the test-jar of " + artifact + " in scope "
                            + (scope == null ? "compile" : scope));
                }
                if (TEST_SUPPORT.contains(artifact)
                        && !testScoped
                        && !ALLOWED.getOrDefault(module, Set.of()).contains(artifact)) {
                    wrong.add(module + " depends on " + artifact + " in scope " + (scope == null ? "compile" : scope));
                }
            }
        }
        assertThat(wrong).as("dependencies on test code outside test scope").isEmpty();
    }

    private static List<Element> dependencies(Element project) {
        List<Element> result = new ArrayList<>();
        for (Node node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals("dependencies")) {
                NodeList list = element.getElementsByTagName("dependency");
                for (int i = 0; i < list.getLength(); i++) {
                    result.add((Element) list.item(i));
                }
            }
        }
        return result;
    }

    private static String child(Element element, String name) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().trim();
            }
        }
        return null;
    }

    private static Document parse(Path pom) throws Exception {
        assertThat(pom).exists();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (var in = Files.newInputStream(pom)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }
}
