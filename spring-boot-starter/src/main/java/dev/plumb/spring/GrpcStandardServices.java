package dev.plumb.spring;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.ChannelzService;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.util.List;

/**
 * Health, reflection and channelz from grpc-services, as the daemon serves them: each of the
 * application's services and the server as a whole (the name "") are SERVING from start until
 * the drain begins, then NOT_SERVING; reflection answers both {@code grpc.reflection.v1} and
 * the older {@code v1alpha} that many tools still ask for.
 */
final class GrpcStandardServices implements StandardServices {
  /** The most entries channelz returns per page. */
  private static final int CHANNELZ_PAGE_SIZE = 100;

  private final HealthStatusManager health;
  private final boolean reflection;
  private final boolean channelz;

  /** {@code health} null: no health service. */
  GrpcStandardServices(HealthStatusManager health, boolean reflection, boolean channelz) {
    this.health = health;
    this.reflection = reflection;
    this.channelz = channelz;
  }

  @Override
  @SuppressWarnings("deprecation") // v1alpha reflection: still what many clients ask for
  public void addTo(PlumbServerBuilder builder) {
    if (health != null) {
      builder.addService(health.getHealthService());
    }
    if (reflection) {
      builder.addService(ProtoReflectionServiceV1.newInstance())
          .addService(io.grpc.protobuf.services.ProtoReflectionService.newInstance());
    }
    if (channelz) {
      builder.addService(ChannelzService.newInstance(CHANNELZ_PAGE_SIZE));
    }
  }

  @Override
  public void serving(List<String> serviceNames) {
    setAll(serviceNames, ServingStatus.SERVING);
  }

  @Override
  public void draining(List<String> serviceNames) {
    // Not enterTerminalState(): a context that is stopped may be started again.
    setAll(serviceNames, ServingStatus.NOT_SERVING);
  }

  private void setAll(List<String> serviceNames, ServingStatus status) {
    if (health == null) {
      return;
    }
    for (String name : serviceNames) {
      health.setStatus(name, status);
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
  }
}
