package dev.plumb.transport.shm;

import dev.plumb.rpc.spi.PlumbNameResolverProvider;

/** Resolves {@code shm:} targets (rendezvous socket files). */
public final class ShmNameResolverProvider extends PlumbNameResolverProvider {
  public ShmNameResolverProvider() {
    super(ShmEndpoint.SCHEME);
  }
}
