package dev.plumb.rpc;

import io.grpc.Attributes;

/**
 * Plumb's transport attributes, found beside gRPC's own ({@code Grpc.TRANSPORT_ATTR_REMOTE_ADDR},
 * ...) in {@code ServerCall.getAttributes()} and {@code ClientCall.getAttributes()}.
 */
public final class PlumbAttributes {
  /** The peer's process, user and group ids, on transports that can tell them. */
  public static final Attributes.Key<PeerCredentials> PEER_CREDENTIALS =
      Attributes.Key.create("dev.plumb.peerCredentials");

  private PlumbAttributes() {}
}
