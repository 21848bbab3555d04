package dev.plumb.transport.shm;

import dev.plumb.rpc.registry.PlumbNameResolverProvider;

/** Resolves {@code shm:} targets (rendezvous socket files). */
public final class ShmNameResolverProvider extends PlumbNameResolverProvider {
  public ShmNameResolverProvider() {
    super(ShmEndpoint.SCHEME);
  }
}
