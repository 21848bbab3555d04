package dev.plumb.transport.unix;

import dev.plumb.rpc.registry.PlumbNameResolverProvider;
import dev.plumb.rpc.registry.TransportRegistry;

/**
 * Resolves socket-file targets in gRPC's own registry, as {@code plumb+unix:///path}: there
 * {@code unix:} is gRPC's name for HTTP/2 over a Unix socket (grpc-netty's), and Plumb on the
 * class path must not take it from an application that calls such a server. Plumb's own
 * builders take {@code unix:} as it is, and their channels resolve it here
 * (docs/TRANSPORTS.md, "Schemes in gRPC's registry").
 */
public final class UnixNameResolverProvider extends PlumbNameResolverProvider {
  public UnixNameResolverProvider() {
    super(TransportRegistry.ALIAS_PREFIX + UnixEndpoint.FILE_SCHEME);
  }
}
