package dev.plumb.spring;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The server, when {@code plumb.server.listen} names an address and
 * {@code plumb.server.enabled} is not false: every {@link BindableService} and
 * {@link ServerServiceDefinition} bean served on every address by one {@link PlumbServer},
 * every {@link ServerInterceptor} bean applied to every call (the first in {@code @Order} runs
 * first), then every {@link PlumbServerConfigurer}; with grpc-services on the class path,
 * health (and a {@link HealthStatusManager} bean), reflection and channelz unless turned off.
 */
@AutoConfiguration
@EnableConfigurationProperties(PlumbProperties.class)
@ConditionalOnProperty(prefix = "plumb.server", name = "enabled", matchIfMissing = true)
@Conditional(OnListenAddresses.class)
public class PlumbServerAutoConfiguration {
  @Bean
  PlumbServer plumbServer(PlumbProperties properties, ObjectProvider<BindableService> services,
      ObjectProvider<ServerServiceDefinition> definitions,
      ObjectProvider<ServerInterceptor> interceptors,
      ObjectProvider<PlumbServerConfigurer> configurers,
      ObjectProvider<StandardServices> standard) {
    List<ServerServiceDefinition> served = Stream.concat(
        services.orderedStream().map(BindableService::bindService),
        definitions.orderedStream()).toList();
    // gRPC runs the interceptor added last first; Spring's order puts the first first.
    List<ServerInterceptor> outermostLast = new ArrayList<>(interceptors.orderedStream().toList());
    Collections.reverse(outermostLast);
    List<PlumbServerConfigurer> configuring = configurers.orderedStream().toList();
    PlumbProperties.Server server = properties.getServer();
    // Joined with commas for Plumb's loader, which splits only where an address starts: an
    // address whose options hold commas (allowUids=1000,1001), which Spring's conversion of
    // a comma-separated value has split, comes back whole.
    String listen = String.join(",", server.getListen());
    PlumbSettings settings = PlumbSettings.ofProcess();
    return new PlumbServer(() -> {
      PlumbServerBuilder builder = settings.loader().listen(listen).load().serverBuilder();
      served.forEach(builder::addService);
      outermostLast.forEach(builder::intercept);
      configuring.forEach(configurer -> configurer.configure(builder));
      return builder;
    }, served.stream().map(service -> service.getServiceDescriptor().getName()).toList(),
        standard.getIfAvailable(() -> StandardServices.NONE), server.getShutdownGrace());
  }

  /** Health, reflection and channelz, when grpc-services is there to serve them. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.grpc.protobuf.services.HealthStatusManager")
  static class GrpcServicesConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "plumb.server.health", name = "enabled",
        matchIfMissing = true)
    HealthStatusManager plumbHealthStatusManager() {
      return new HealthStatusManager();
    }

    @Bean
    StandardServices plumbStandardServices(PlumbProperties properties,
        ObjectProvider<HealthStatusManager> health) {
      PlumbProperties.Server server = properties.getServer();
      // An application's own HealthStatusManager bean is the one served, unless turned off.
      return new GrpcStandardServices(server.getHealth().isEnabled() ? health.getIfAvailable()
          : null,
          server.getReflection().isEnabled(), server.getChannelz().isEnabled());
    }
  }
}
