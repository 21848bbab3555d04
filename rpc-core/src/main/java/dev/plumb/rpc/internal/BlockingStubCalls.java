package dev.plumb.rpc.internal;

import io.grpc.CallOptions;
import java.lang.reflect.Field;

/**
 * Tells the calls of gRPC's blocking stubs from the others. {@code io.grpc.stub.ClientCalls}
 * marks them with a call option whose key it keeps package-private; {@link CallOptions.Key}s
 * compare by identity, so the key is read once, by reflection. Without it (no grpc-stub on the
 * class path, or a grpc-java that dropped the key) no call counts as blocking, which only costs
 * those calls the wait of {@link BlockingCallerWait}; {@code BlockingStubCallsTest} fails first.
 */
final class BlockingStubCalls {
  private static final CallOptions.Key<?> STUB_TYPE = stubTypeKey();

  private BlockingStubCalls() {}

  /** Whether {@code options} are those of a call whose caller blocks until it ends. */
  static boolean isBlocking(CallOptions options) {
    if (STUB_TYPE == null) {
      return false;
    }
    Object type = options.getOption(STUB_TYPE);
    return type instanceof Enum && ((Enum<?>) type).name().equals("BLOCKING");
  }

  private static CallOptions.Key<?> stubTypeKey() {
    try {
      Class<?> calls = Class.forName("io.grpc.stub.ClientCalls", false,
          BlockingStubCalls.class.getClassLoader());
      Field key = calls.getDeclaredField("STUB_TYPE_OPTION");
      key.setAccessible(true);
      return (CallOptions.Key<?>) key.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
