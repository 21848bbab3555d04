package dev.plumb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ServiceCatalogTest {
  private static final ClassLoader LOADER = ServiceCatalogTest.class.getClassLoader();

  @TempDir
  Path temp;

  /** Needs an argument: the daemon cannot make one. */
  public static final class NeedsAnArgument extends SecondServiceBase {
    public NeedsAnArgument(int unused) {}
  }

  /** Another implementation of the second service's name. */
  public static final class SecondAgain extends SecondServiceBase {}

  /** A service named as {@link SecondService}, for the cases above. */
  public abstract static class SecondServiceBase implements BindableService {
    @Override
    public ServerServiceDefinition bindService() {
      return ServerServiceDefinition.builder(SecondService.NAME).build();
    }
  }

  @Test
  void theRegisteredServicesOfTheClassPathOrOfAServicePathInTheirOrder() {
    // This module's test classes register both, and are on this JVM's class path.
    List<String> names = List.of(PlumbDaemonTest.CONFORMANCE, SecondService.NAME);
    assertEquals(names, ServiceCatalog.onClassPath(LOADER).stream()
        .map(ServiceCatalog::serviceName).toList());
    assertEquals(names, ServiceCatalog.registered(ServicePath.of(
        List.of(DaemonProcess.SERVICE_PATH), LOADER)).stream()
        .map(ServiceCatalog::serviceName).toList());
  }

  @Test
  void namedClassesAreInstantiatedInOrder() {
    List<BindableService> services = ServiceCatalog.named(
        List.of(SecondService.class.getName(), ConformanceService.class.getName()), LOADER);
    assertEquals(SecondService.class, services.get(0).getClass());
    assertEquals(ConformanceService.class, services.get(1).getClass());
  }

  @Test
  void everyKindOfBadClassIsRefusedByName() {
    assertRefused("--service no.such.Service: no such class on the service path or the class"
        + " path", "no.such.Service");
    assertRefused("--service java.lang.String: not an io.grpc.BindableService (a generated"
        + " *ImplBase is one)", "java.lang.String");
    assertRefused("--service " + SecondServiceBase.class.getName()
        + ": the class is abstract", SecondServiceBase.class.getName());
    assertRefused("--service " + NeedsAnArgument.class.getName()
        + ": no public no-argument constructor", NeedsAnArgument.class.getName());
    assertRefused("the service " + SecondService.NAME + " is provided twice, by "
        + SecondService.class.getName() + " and by " + SecondAgain.class.getName(),
        SecondService.class.getName(), SecondAgain.class.getName());
  }

  @Test
  void aServicePathOfNothingOrWithoutRegistrationsIsRefused() throws Exception {
    Path missing = temp.resolve("missing.jar");
    assertEquals("--service-path " + missing + ": no such jar or directory",
        assertThrows(IllegalArgumentException.class,
            () -> ServicePath.of(List.of(missing.toString()), LOADER)).getMessage());
    Path empty = Files.createDirectory(temp.resolve("classes"));
    assertEquals("--service-path " + empty + ": no jar or directory there registers a service"
        + " in META-INF/services/io.grpc.BindableService; name the classes with --service",
        assertThrows(IllegalArgumentException.class, () -> ServiceCatalog.registered(
            ServicePath.of(List.of(empty.toString()), LOADER))).getMessage());
  }

  private static void assertRefused(String message, String... classNames) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServiceCatalog.named(List.of(classNames), LOADER));
    assertEquals(message, e.getMessage());
  }
}
