package dev.plumb.daemon;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;

/**
 * A second service for the daemon's tests, registered beside the conformance service: it has
 * no methods (and no descriptor for reflection), but health knows it by name.
 */
public final class SecondService implements BindableService {
  static final String NAME = "plumb.daemon.test.Second";

  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder(NAME).build();
  }
}
