package dev.plumb.rpc.internal;

import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.lite.ProtoLiteUtils;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Plumb needs to know of grpc-java's protobuf marshaller (the one generated stubs name) to
 * parse as it does: whether a marshaller is that one, its recursion limit, and the extension
 * registry set with {@link ProtoLiteUtils#setExtensionRegistry}. gRPC keeps the last two
 * private, so they are read by reflection; where that fails (another grpc-java, a module path
 * that does not open the package), {@link #isAvailable()} is false and methods keep gRPC's
 * marshaller.
 */
final class GrpcProtoLite {
  private static final Logger log = LoggerFactory.getLogger(GrpcProtoLite.class);
  /** gRPC's marshaller class, or null if it cannot be read. */
  private static final Class<?> MARSHALLER;
  private static final VarHandle RECURSION_LIMIT;
  private static final VarHandle GLOBAL_REGISTRY;

  static {
    Class<?> marshaller = null;
    VarHandle recursionLimit = null;
    VarHandle globalRegistry = null;
    try {
      MethodHandles.Lookup utils =
          MethodHandles.privateLookupIn(ProtoLiteUtils.class, MethodHandles.lookup());
      Class<?> found = utils.findClass(ProtoLiteUtils.class.getName() + "$MessageMarshaller");
      recursionLimit = MethodHandles.privateLookupIn(found, MethodHandles.lookup())
          .findVarHandle(found, "recursionLimit", int.class);
      globalRegistry = utils.findStaticVarHandle(ProtoLiteUtils.class, "globalRegistry",
          ExtensionRegistryLite.class);
      marshaller = found;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.debug("gRPC's protobuf marshaller cannot be read ({}): messages are parsed by it", e);
    }
    MARSHALLER = marshaller;
    RECURSION_LIMIT = recursionLimit;
    GLOBAL_REGISTRY = globalRegistry;
  }

  private GrpcProtoLite() {}

  static boolean isAvailable() {
    return MARSHALLER != null;
  }

  /** Whether {@code marshaller} is grpc-java's own protobuf marshaller (of a message type). */
  static boolean isGrpcMarshaller(MethodDescriptor.Marshaller<?> marshaller) {
    return MARSHALLER != null && marshaller.getClass() == MARSHALLER
        && ((MethodDescriptor.PrototypeMarshaller<?>) marshaller).getMessagePrototype()
            instanceof MessageLite;
  }

  /** The recursion limit {@code marshaller} parses with; negative: protobuf's default. */
  static int recursionLimit(MethodDescriptor.Marshaller<?> marshaller) {
    return (int) RECURSION_LIMIT.get(marshaller);
  }

  /** The registry gRPC's marshallers parse with now (it may be set at any time). */
  static ExtensionRegistryLite extensionRegistry() {
    return (ExtensionRegistryLite) GLOBAL_REGISTRY.getVolatile();
  }
}
