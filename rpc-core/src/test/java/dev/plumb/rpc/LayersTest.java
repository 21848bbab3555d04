package dev.plumb.rpc;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the core's packages layered as docs/ARCHITECTURE.md draws them: the API on top, the
 * gRPC adapter ({@code internal}) below it, then the registry, the transport kit, the SPI and
 * the wire format, and no cycle between any two packages. Checked on the compiled main
 * classes, so an import that only a comment mentions does not count.
 */
class LayersTest {
  private static JavaClasses core;

  @BeforeAll
  static void importMainClasses() {
    core = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.plumb.rpc");
  }

  @Test
  void eachLayerIsUsedOnlyByTheLayersAboveIt() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("api").definedBy("dev.plumb.rpc")
        .layer("config").definedBy("dev.plumb.rpc.config..")
        .layer("internal").definedBy("dev.plumb.rpc.internal..")
        .layer("registry").definedBy("dev.plumb.rpc.registry..")
        .layer("kit").definedBy("dev.plumb.rpc.kit..")
        .layer("spi").definedBy("dev.plumb.rpc.spi..")
        .layer("frame").definedBy("dev.plumb.rpc.frame..")
        .layer("memory").definedBy("dev.plumb.rpc.memory..")
        .layer("log").definedBy("dev.plumb.rpc.log..")
        .layer("idle").definedBy("dev.plumb.rpc.idle..")
        .layer("attach").definedBy("dev.plumb.rpc.attach..")
        .whereLayer("config").mayNotBeAccessedByAnyLayer()
        .whereLayer("memory").mayNotBeAccessedByAnyLayer()
        .whereLayer("api").mayOnlyBeAccessedByLayers("config")
        .whereLayer("internal").mayOnlyBeAccessedByLayers("api")
        .whereLayer("registry").mayOnlyBeAccessedByLayers("api", "config", "internal", "memory")
        .whereLayer("kit").mayOnlyBeAccessedByLayers("config", "memory")
        .whereLayer("spi")
        .mayOnlyBeAccessedByLayers("api", "config", "internal", "registry", "kit", "memory")
        .whereLayer("frame")
        .mayOnlyBeAccessedByLayers("api", "config", "internal", "registry", "kit", "spi", "memory")
        .whereLayer("idle").mayOnlyBeAccessedByLayers("internal", "kit", "memory")
        .whereLayer("attach").mayOnlyBeAccessedByLayers("api", "internal")
        .check(core);
  }

  @Test
  void noTwoPackagesDependOnEachOther() {
    slices().matching("dev.plumb.rpc.(*)..").should().beFreeOfCycles().check(core);
  }
}
