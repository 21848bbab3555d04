package dev.plumb.transport.unix;

import dev.plumb.rpc.registry.PlumbNameResolverProvider;

/** Resolves {@code unix:} targets (socket files). */
public final class UnixNameResolverProvider extends PlumbNameResolverProvider {
  public UnixNameResolverProvider() {
    super(UnixEndpoint.FILE_SCHEME);
  }
}
