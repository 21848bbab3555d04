package dev.plumb.transport.tcp;

import dev.plumb.rpc.registry.PlumbNameResolverProvider;

/** Resolves {@code tcp://host:port} targets. */
public final class TcpNameResolverProvider extends PlumbNameResolverProvider {
  public TcpNameResolverProvider() {
    super("tcp");
  }
}
