package dev.plumb.daemon;

import io.grpc.BindableService;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The services the daemon hosts, each an {@link BindableService} with a public no-argument
 * constructor: the classes named on its command line; else those that the jars of its
 * {@code --service-path} register ({@link ServicePath}); else, without a service path, every
 * {@link BindableService} registered for {@link ServiceLoader} in a
 * {@code META-INF/services/io.grpc.BindableService} file on the class path. Two services with
 * the same gRPC service name are refused, since a server can serve a name only once.
 */
final class ServiceCatalog {
  private ServiceCatalog() {}

  /**
   * Instantiates {@code classNames} (from {@code --service}) with {@code loader}.
   *
   * @throws IllegalArgumentException naming the class and what is wrong with it
   */
  static List<BindableService> named(List<String> classNames, ClassLoader loader) {
    return instantiate(classNames, loader, "--service ");
  }

  /**
   * Instantiates the classes that {@code path}'s own jars register.
   *
   * @throws IllegalArgumentException if there are none, or naming a class and what is wrong
   */
  static List<BindableService> registered(ServicePath path) {
    return instantiate(path.registeredServices(), path.loader(),
        "the service registered in " + ServicePath.REGISTRATIONS + " of " + path.describe()
            + ", ");
  }

  /**
   * Every service registered on the class path of {@code loader}.
   *
   * @throws IllegalArgumentException if there is none, or one cannot be loaded
   */
  static List<BindableService> onClassPath(ClassLoader loader) {
    List<BindableService> services = new ArrayList<>();
    try {
      ServiceLoader.load(BindableService.class, loader).forEach(services::add);
    } catch (ServiceConfigurationError e) {
      throw new IllegalArgumentException("a registered io.grpc.BindableService cannot be"
          + " loaded: " + e.getMessage(), e);
    }
    if (services.isEmpty()) {
      throw new IllegalArgumentException("no service to host: give the application's jars"
          + " with --service-path, or name the classes with --service");
    }
    return refuseDuplicates(services);
  }

  /** The gRPC service name, e.g. {@code plumb.examples.clock.Clock}. */
  static String serviceName(BindableService service) {
    return service.bindService().getServiceDescriptor().getName();
  }

  private static List<BindableService> instantiate(List<String> classNames, ClassLoader loader,
      String origin) {
    List<BindableService> services = new ArrayList<>();
    for (String name : classNames) {
      services.add(instantiate(name, loader, origin));
    }
    return refuseDuplicates(services);
  }

  private static BindableService instantiate(String className, ClassLoader loader,
      String origin) {
    String what = origin + className;
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(what + ": no such class on the service path or the"
          + " class path");
    } catch (LinkageError e) {
      throw new IllegalArgumentException(what + ": the class cannot be loaded: " + e, e);
    }
    if (!BindableService.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(what + ": not an io.grpc.BindableService (a generated"
          + " *ImplBase is one)");
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new IllegalArgumentException(what + ": the class is abstract");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(what + ": no public no-argument constructor");
    }
    try {
      return (BindableService) constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(what + ": its constructor threw " + e.getCause(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(what + ": cannot be instantiated: " + e, e);
    }
  }

  private static List<BindableService> refuseDuplicates(List<BindableService> services) {
    Map<String, BindableService> byName = new LinkedHashMap<>();
    for (BindableService service : services) {
      BindableService earlier = byName.putIfAbsent(serviceName(service), service);
      if (earlier != null) {
        throw new IllegalArgumentException("the service " + serviceName(service)
            + " is provided twice, by " + earlier.getClass().getName() + " and by "
            + service.getClass().getName());
      }
    }
    return services;
  }
}
