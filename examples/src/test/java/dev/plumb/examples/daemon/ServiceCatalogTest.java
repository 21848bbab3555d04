package dev.plumb.examples.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.clock.ClockService;
import io.grpc.BindableService;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceCatalogTest {
  private static final ClassLoader LOADER = ServiceCatalogTest.class.getClassLoader();

  /** Needs an argument: the daemon cannot make one. */
  public static final class NeedsAnArgument extends CalculatorGrpc.CalculatorImplBase {
    public NeedsAnArgument(int unused) {}
  }

  /** Another implementation of the calculator's service name. */
  public static final class SecondCalculator extends CalculatorGrpc.CalculatorImplBase {}

  @Test
  void withoutNamesItFindsTheRegisteredServices() {
    List<String> names = ServiceCatalog.load(List.of(), LOADER).stream()
        .map(ServiceCatalog::serviceName).toList();
    assertEquals(List.of("plumb.examples.calculator.Calculator", "plumb.examples.filter.Filter",
        "plumb.examples.clock.Clock", "plumb.examples.buffer.BoundedBuffer",
        "plumb.examples.identity.Identity", "plumb.examples.share.Share"), names);
  }

  @Test
  void namedClassesAreInstantiatedInOrder() {
    List<BindableService> services = ServiceCatalog.load(
        List.of(ClockService.class.getName(), CalculatorService.class.getName()), LOADER);
    assertEquals(ClockService.class, services.get(0).getClass());
    assertEquals(CalculatorService.class, services.get(1).getClass());
  }

  @Test
  void everyKindOfBadClassIsRefusedByName() {
    assertRefused("--service no.such.Service: no such class on the class path",
        "no.such.Service");
    assertRefused("--service java.lang.String: not an io.grpc.BindableService (a generated"
        + " *ImplBase is one)", "java.lang.String");
    assertRefused("--service " + CalculatorGrpc.CalculatorImplBase.class.getName()
        + ": the class is abstract", CalculatorGrpc.CalculatorImplBase.class.getName());
    assertRefused("--service " + NeedsAnArgument.class.getName()
        + ": no public no-argument constructor", NeedsAnArgument.class.getName());
    assertRefused("the service plumb.examples.calculator.Calculator is provided twice, by "
        + CalculatorService.class.getName() + " and by " + SecondCalculator.class.getName(),
        CalculatorService.class.getName(), SecondCalculator.class.getName());
  }

  private static void assertRefused(String message, String... classNames) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServiceCatalog.load(List.of(classNames), LOADER));
    assertEquals(message, e.getMessage());
  }
}
