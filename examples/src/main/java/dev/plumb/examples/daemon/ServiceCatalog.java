package dev.plumb.examples.daemon;

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
 * The services the daemon hosts: the classes named on its command line, each an
 * {@link BindableService} with a public no-argument constructor, or, if none is named, every
 * {@link BindableService} registered for {@link ServiceLoader} in a
 * {@code META-INF/services/io.grpc.BindableService} file on the class path. Two services with
 * the same gRPC service name are refused, since a server can serve a name only once.
 */
final class ServiceCatalog {
  private ServiceCatalog() {}

  /**
   * Instantiates the named classes, or discovers the registered services if {@code classNames}
   * is empty.
   *
   * @throws IllegalArgumentException naming the class and what is wrong with it, or saying
   *     that there is no service at all
   */
  static List<BindableService> load(List<String> classNames, ClassLoader loader) {
    List<BindableService> services = new ArrayList<>();
    if (classNames.isEmpty()) {
      try {
        ServiceLoader.load(BindableService.class, loader).forEach(services::add);
      } catch (ServiceConfigurationError e) {
        throw new IllegalArgumentException("a registered io.grpc.BindableService cannot be"
            + " loaded: " + e.getMessage(), e);
      }
      if (services.isEmpty()) {
        throw new IllegalArgumentException("no --service given, and no io.grpc.BindableService"
            + " is registered in META-INF/services on the class path");
      }
    } else {
      for (String name : classNames) {
        services.add(instantiate(name, loader));
      }
    }
    refuseDuplicates(services);
    return services;
  }

  /** The gRPC service name, e.g. {@code plumb.examples.clock.Clock}. */
  static String serviceName(BindableService service) {
    return service.bindService().getServiceDescriptor().getName();
  }

  private static BindableService instantiate(String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("--service " + className
          + ": no such class on the class path");
    } catch (LinkageError e) {
      throw new IllegalArgumentException("--service " + className + ": the class cannot be"
          + " loaded: " + e, e);
    }
    if (!BindableService.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("--service " + className + ": not an"
          + " io.grpc.BindableService (a generated *ImplBase is one)");
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new IllegalArgumentException("--service " + className + ": the class is abstract");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("--service " + className + ": no public no-argument"
          + " constructor");
    }
    try {
      return (BindableService) constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("--service " + className + ": its constructor threw "
          + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("--service " + className + ": cannot be"
          + " instantiated: " + e, e);
    }
  }

  private static void refuseDuplicates(List<BindableService> services) {
    Map<String, BindableService> byName = new LinkedHashMap<>();
    for (BindableService service : services) {
      BindableService earlier = byName.putIfAbsent(serviceName(service), service);
      if (earlier != null) {
        throw new IllegalArgumentException("the service " + serviceName(service)
            + " is provided twice, by " + earlier.getClass().getName() + " and by "
            + service.getClass().getName());
      }
    }
  }
}
