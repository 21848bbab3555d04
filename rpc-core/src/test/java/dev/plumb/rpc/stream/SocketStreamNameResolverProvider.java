package dev.plumb.rpc.stream;

import dev.plumb.rpc.registry.PlumbNameResolverProvider;

/** Resolves the test-only {@code stream-test:} targets. */
public final class SocketStreamNameResolverProvider extends PlumbNameResolverProvider {
  public SocketStreamNameResolverProvider() {
    super("stream-test");
  }
}
