package dev.plumb.transport.pipe;

import dev.plumb.rpc.registry.PlumbNameResolverProvider;

/** Resolves {@code pipe:COMMAND} targets. */
public final class PipeNameResolverProvider extends PlumbNameResolverProvider {
  public PipeNameResolverProvider() {
    super("pipe");
  }
}
