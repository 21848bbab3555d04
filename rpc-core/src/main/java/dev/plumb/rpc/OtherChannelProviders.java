package dev.plumb.rpc;

import io.grpc.InternalManagedChannelProvider;
import io.grpc.ManagedChannelProvider;
import io.grpc.ManagedChannelProvider.ProviderNotFoundException;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;

/**
 * The channel provider gRPC would make its default if Plumb's were not there: what
 * {@link PlumbManagedChannelProvider}, first in gRPC's order, hands every target that is not
 * Plumb's, so that {@code ManagedChannelBuilder.forTarget} and {@code forAddress} give the same
 * builder with Plumb on the class path as without it. Found as gRPC finds its providers (the
 * service loader of {@code ManagedChannelProvider}'s class loader, the available ones, highest
 * priority first, ties to the greater class name), once.
 *
 * <p>A provider's priority is protected in gRPC's API: it is read by reflection
 * (docs/ARCHITECTURE.md lists it with the other grpc-java internals Plumb relies on).
 */
final class OtherChannelProviders {
  private static volatile ManagedChannelProvider first;

  private OtherChannelProviders() {}

  /**
   * @throws ProviderNotFoundException as gRPC throws it when it has no provider but Plumb's
   */
  static ManagedChannelProvider first() {
    ManagedChannelProvider provider = first;
    if (provider == null) {
      provider = find();
      first = provider;
    }
    return provider;
  }

  private static ManagedChannelProvider find() {
    Method priority;
    try {
      priority = ManagedChannelProvider.class.getDeclaredMethod("priority");
      priority.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read gRPC channel providers' priorities", e);
    }
    Comparator<ManagedChannelProvider> byPriority =
        Comparator.comparingInt(candidate -> priorityOf(priority, candidate));
    return StreamSupport.stream(ServiceLoader.load(ManagedChannelProvider.class,
            ManagedChannelProvider.class.getClassLoader()).spliterator(), false)
        .filter(candidate -> !(candidate instanceof PlumbManagedChannelProvider))
        .filter(InternalManagedChannelProvider::isAvailable)
        .max(byPriority.thenComparing(candidate -> candidate.getClass().getName()))
        .orElseThrow(() -> new ProviderNotFoundException("No functional channel service"
            + " provider found but Plumb's, which takes only Plumb targets. Try adding a"
            + " dependency on the grpc-okhttp, grpc-netty, or grpc-netty-shaded artifact"));
  }

  private static int priorityOf(Method priority, ManagedChannelProvider provider) {
    try {
      return (int) priority.invoke(provider);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the priority of " + provider, e);
    }
  }
}
