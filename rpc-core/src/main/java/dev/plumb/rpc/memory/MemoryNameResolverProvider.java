package dev.plumb.rpc.memory;

import dev.plumb.rpc.registry.PlumbNameResolverProvider;

/** Resolves {@code mem:} targets. */
public final class MemoryNameResolverProvider extends PlumbNameResolverProvider {
  public MemoryNameResolverProvider() {
    super("mem");
  }
}
