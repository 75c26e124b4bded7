package io.voxgate.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rule of docs/architecture.md, checked on the compiled main classes of every module. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.voxgate");
    }

    @Test
    void shouldKeepCoreFreeOfProtocolStacks() {
        noClasses().that().resideInAPackage("io.voxgate.core..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "javax.sip..", "gov.nist..",
                "com.fasterxml.jackson..", "com.twilio..", "io.voxgate.websocket..", "io.voxgate.sip..", "io.voxgate.app..")
            .check(classes);
    }

    @Test
    void shouldKeepTheTwilioEdgeIgnorantOfVapi() {
        noClasses().that().resideInAPackage("io.voxgate.websocket.twilio..")
            .should().dependOnClassesThat().resideInAPackage("io.voxgate.websocket.vapi..")
            .allowEmptyShould(true)
            .check(classes);
    }

    @Test
    void shouldKeepTheVapiAdapterIgnorantOfTwilio() {
        noClasses().that().resideInAPackage("io.voxgate.websocket.vapi..")
            .should().dependOnClassesThat().resideInAPackage("io.voxgate.websocket.twilio..")
            .allowEmptyShould(true)
            .check(classes);
    }

    @Test
    void shouldKeepTheEdgesApart() {
        noClasses().that().resideInAPackage("io.voxgate.websocket..")
            .should().dependOnClassesThat().resideInAPackage("io.voxgate.sip..")
            .allowEmptyShould(true)
            .check(classes);
        noClasses().that().resideInAPackage("io.voxgate.sip..")
            .should().dependOnClassesThat().resideInAPackage("io.voxgate.websocket..")
            .allowEmptyShould(true)
            .check(classes);
    }

    @Test
    void shouldKeepTestPeersOutOfTheProductExceptTheDemo() {
        noClasses().that().resideInAPackage("io.voxgate..")
            .and().resideOutsideOfPackages("io.voxgate.testkit..", "io.voxgate.app.demo..")
            .should().dependOnClassesThat().resideInAPackage("io.voxgate.testkit..")
            .check(classes);
    }

    @Test
    void shouldConfineJainSipToTheSignalingPackage() {
        noClasses().that().resideOutsideOfPackage("io.voxgate.sip.signaling..")
            .should().dependOnClassesThat().resideInAnyPackage("javax.sip..", "gov.nist..")
            .check(classes);
    }
}
