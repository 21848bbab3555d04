package dev.plumb.examples.replicas;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.net.SocketAddress;

/**
 * Which server answered: a {@link ClientInterceptor} that notes the remote address of each
 * call's connection ({@link Grpc#TRANSPORT_ATTR_REMOTE_ADDR}) when the response headers come.
 * For calls made one after another; {@link #last} is that of the latest call.
 */
final class PeerAddress implements ClientInterceptor {
  // Written on gRPC's thread, read by the caller once its blocking call has returned.
  private volatile SocketAddress last;

  SocketAddress last() {
    return last;
  }

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method,
      CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<A> responses, Metadata headers) {
        ClientCall<Q, A> call = this;
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
            responses) {
          @Override
          public void onHeaders(Metadata responseHeaders) {
            last = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            super.onHeaders(responseHeaders);
          }
        }, headers);
      }
    };
  }
}
