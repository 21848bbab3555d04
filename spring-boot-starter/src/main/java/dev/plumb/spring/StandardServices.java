package dev.plumb.spring;

import dev.plumb.rpc.PlumbServerBuilder;
import java.util.List;

/**
 * gRPC's standard services beside the application's (health, reflection, channelz), kept
 * behind this interface so that the server needs grpc-services only when it is on the class
 * path ({@link GrpcStandardServices}).
 */
interface StandardServices {
  /** None: grpc-services is not on the class path, or every one is turned off. */
  StandardServices NONE = new StandardServices() {
    @Override
    public void addTo(PlumbServerBuilder builder) {}

    @Override
    public void serving(List<String> serviceNames) {}

    @Override
    public void draining(List<String> serviceNames) {}
  };

  /** Adds the services to a server about to be built. */
  void addTo(PlumbServerBuilder builder);

  /** The server has started: {@code serviceNames} (the application's) are served. */
  void serving(List<String> serviceNames);

  /** The server is draining: it takes no new calls. */
  void draining(List<String> serviceNames);
}
