package dev.plumb.rpc.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives the methods of Plumb's channels and servers {@link InPlaceProtoMarshaller}s in place of
 * grpc-java's protobuf marshallers, of the same message types: users keep their generated
 * stubs. A method with any other marshaller is left as it is.
 */
public final class InPlaceParsing {
  /**
   * Methods whose replacement a channel remembers; beyond this (descriptors made per call, say),
   * each call makes its own.
   */
  private static final int REMEMBERED_METHODS = 1024;

  private InPlaceParsing() {}

  /** {@code method} with in-place marshallers, or itself if it has no protobuf marshaller. */
  public static <Q, R> MethodDescriptor<Q, R> method(MethodDescriptor<Q, R> method) {
    MethodDescriptor.Marshaller<Q> request = marshaller(method.getRequestMarshaller());
    MethodDescriptor.Marshaller<R> response = marshaller(method.getResponseMarshaller());
    if (request == method.getRequestMarshaller() && response == method.getResponseMarshaller()) {
      return method;
    }
    return method.toBuilder(request, response).build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> MethodDescriptor.Marshaller<T> marshaller(
      MethodDescriptor.Marshaller<T> marshaller) {
    return GrpcProtoLite.isGrpcMarshaller(marshaller)
        ? new InPlaceProtoMarshaller(marshaller) : marshaller;
  }

  /**
   * A channel's innermost interceptor: the application's interceptors, added after it, run
   * before it and see the method as the stub made it.
   */
  public static ClientInterceptor clientInterceptor() {
    return new ClientInterceptor() {
      /** Identity keys: a MethodDescriptor is equal only to itself. */
      private final Map<MethodDescriptor<?, ?>, MethodDescriptor<?, ?>> replaced =
          new ConcurrentHashMap<>();

      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        return next.newCall(replacement(method), options);
      }

      @SuppressWarnings("unchecked")
      private <Q, R> MethodDescriptor<Q, R> replacement(MethodDescriptor<Q, R> method) {
        MethodDescriptor<?, ?> known = replaced.get(method);
        if (known != null) {
          return (MethodDescriptor<Q, R>) known;
        }
        MethodDescriptor<Q, R> made = method(method);
        if (replaced.size() < REMEMBERED_METHODS) {
          replaced.put(method, made);
        }
        return made;
      }
    };
  }
}
