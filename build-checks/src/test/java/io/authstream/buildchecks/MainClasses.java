package io.authstream.buildchecks;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Every module's main classes, imported once per test JVM. */
final class MainClasses {

    private static JavaClasses classes;

    private MainClasses() {}

    /**
     * Every module's main artifact is on this module's test class path; test classes and test-jars
     * (should one come in) are left out, so a main class using one refers to a class that was not
     * imported.
     */
    static synchronized JavaClasses all() {
        if (classes == null) {
            classes = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(location -> !location.contains("-tests.jar"))
                    .importPackages("io.authstream");
        }
        return classes;
    }
}
