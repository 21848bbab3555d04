package dev.plumb.examples.identity;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;

/**
 * Makes the caller's identity, as the transport saw it, available to service code through
 * {@link Context} keys: {@link #PEER} holds the {@link PeerCredentials} of
 * {@link PlumbAttributes#PEER_CREDENTIALS} (absent over transports that cannot know them, such
 * as {@code tcp:}), {@link #REMOTE_ADDRESS} the call's remote address. Services then read
 * {@code PeerIdentityInterceptor.PEER.get()} without touching the {@link ServerCall}.
 */
public final class PeerIdentityInterceptor implements ServerInterceptor {
  public static final Context.Key<PeerCredentials> PEER = Context.key("plumb-peer-credentials");
  public static final Context.Key<SocketAddress> REMOTE_ADDRESS =
      Context.key("plumb-remote-address");

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Context context = Context.current()
        .withValue(PEER, call.getAttributes().get(PlumbAttributes.PEER_CREDENTIALS))
        .withValue(REMOTE_ADDRESS, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    return Contexts.interceptCall(context, call, headers, next);
  }
}
