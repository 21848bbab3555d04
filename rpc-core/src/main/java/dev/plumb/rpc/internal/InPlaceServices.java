package dev.plumb.rpc.internal;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server builder's services, given in-place marshallers ({@link InPlaceParsing#method}) while
 * the application still sees its own methods: its handlers, the interceptors inside its service
 * definitions, and the interceptors added to the builder ({@link #interceptor}) are handed calls
 * whose {@link ServerCall#getMethodDescriptor()} is the descriptor the stub made, as code that
 * looks methods up by descriptor expects. Stream tracers and a fallback handler registry see
 * or keep the server's own.
 *
 * <p>Thread-safe: services are added while the server is built, calls look them up later.
 */
public final class InPlaceServices {
  /** The descriptor the server parses with, to the application's. Identity keys. */
  private final Map<MethodDescriptor<?, ?>, MethodDescriptor<?, ?>> originals =
      new ConcurrentHashMap<>();

  /** {@code service} with in-place marshallers, or itself if none of its methods has any. */
  public ServerServiceDefinition service(ServerServiceDefinition service) {
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    boolean changed = false;
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> rebound = rebind(method);
      changed |= rebound != method;
      methods.add(rebound);
    }
    if (!changed) {
      return service;
    }
    ServiceDescriptor own = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(own.getName())
        .setSchemaDescriptor(own.getSchemaDescriptor());
    methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
    ServerServiceDefinition.Builder rebuilt = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(rebuilt::addMethod);
    return rebuilt.build();
  }

  private <Q, R> ServerMethodDefinition<Q, R> rebind(ServerMethodDefinition<Q, R> definition) {
    MethodDescriptor<Q, R> original = definition.getMethodDescriptor();
    MethodDescriptor<Q, R> inPlace = InPlaceParsing.method(original);
    if (inPlace == original) {
      return definition;
    }
    originals.put(inPlace, original);
    ServerCallHandler<Q, R> handler = definition.getServerCallHandler();
    return ServerMethodDefinition.create(inPlace, (call, headers) ->
        handler.startCall(asOriginal(call), headers));
  }

  /** {@code application}, seeing calls of the application's own method descriptors. */
  public ServerInterceptor interceptor(ServerInterceptor application) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return application.interceptCall(asOriginal(call), headers, next);
      }

      @Override
      public String toString() {
        return application.toString();
      }
    };
  }

  @SuppressWarnings("unchecked")
  private <Q, R> ServerCall<Q, R> asOriginal(ServerCall<Q, R> call) {
    MethodDescriptor<Q, R> original =
        (MethodDescriptor<Q, R>) originals.get(call.getMethodDescriptor());
    return original == null ? call : new OriginalMethodCall<>(call, original);
  }

  /** A call that names the application's method descriptor. */
  private static final class OriginalMethodCall<Q, R>
      extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private final MethodDescriptor<Q, R> original;

    OriginalMethodCall(ServerCall<Q, R> call, MethodDescriptor<Q, R> original) {
      super(call);
      this.original = original;
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return original;
    }
  }
}
