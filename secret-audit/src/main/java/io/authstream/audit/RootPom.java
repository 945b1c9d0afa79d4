package io.authstream.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The modules the root pom declares, so that a module added later is audited without anyone listing it here. */
final class RootPom {

    private RootPom() {}

    static List<String> modules(Path root) throws IOException {
        try {
            Element project = DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(root.resolve("pom.xml").toFile())
                    .getDocumentElement();
            List<String> modules = new ArrayList<>();
            for (Node section = project.getFirstChild(); section != null; section = section.getNextSibling()) {
                if ("modules".equals(section.getNodeName())) {
                    for (Node module = section.getFirstChild(); module != null; module = module.getNextSibling()) {
                        if ("module".equals(module.getNodeName())) {
                            modules.add(module.getTextContent().trim());
                        }
                    }
                }
            }
            return modules;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read the modules of " + root.resolve("pom.xml"), e);
        }
    }
}
