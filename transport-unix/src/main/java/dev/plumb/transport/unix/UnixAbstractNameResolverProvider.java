package dev.plumb.transport.unix;

import dev.plumb.rpc.registry.PlumbNameResolverProvider;

/** Resolves {@code unix-abstract:} targets (Linux's abstract socket namespace). */
public final class UnixAbstractNameResolverProvider extends PlumbNameResolverProvider {
  public UnixAbstractNameResolverProvider() {
    super(UnixEndpoint.ABSTRACT_SCHEME);
  }
}
