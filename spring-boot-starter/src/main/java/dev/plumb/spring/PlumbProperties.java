package dev.plumb.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's settings, under {@code plumb.server} and {@code plumb.client}, bound with
 * Spring's relaxed binding ({@code plumb.server.shutdown-grace}, {@code PLUMB_SERVER_LISTEN},
 * {@code plumb.server.listen[0]}). Plumb's own keys ({@code plumb.maxConnections},
 * {@code plumb.tls.*}, ...) are not bound here: Plumb reads them itself, from system properties,
 * {@code PLUMB_*} variables and {@code plumb.properties} (docs/SPRING_BOOT.md, "Plumb's own
 * keys").
 */
@ConfigurationProperties(prefix = PlumbProperties.PREFIX)
public class PlumbProperties {
  static final String PREFIX = "plumb";

  private final Server server = new Server();
  private final Map<String, Client> client = new LinkedHashMap<>();

  public Server getServer() {
    return server;
  }

  /** The named clients: {@code plumb.client.NAME.target} and its options. */
  public Map<String, Client> getClient() {
    return client;
  }

  /** The server that serves the application's gRPC services. */
  public static class Server {
    /** Whether to serve at all when listen addresses are set. */
    private boolean enabled = true;
    /**
     * Plumb addresses to listen on, e.g. unix:///run/app.sock, tcp://0.0.0.0:7000,
     * shm:///run/app.shm; one server serves every service on all of them.
     */
    private List<String> listen = new ArrayList<>();
    /**
     * How long calls in flight may go on once the context closes before they are cancelled
     * (the lifecycle's timeout-per-shutdown-phase may cut it shorter).
     */
    private Duration shutdownGrace = Duration.ofSeconds(30);
    private final Toggle health = new Toggle();
    private final Toggle reflection = new Toggle();
    private final Toggle channelz = new Toggle();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getListen() {
      return listen;
    }

    public void setListen(List<String> listen) {
      this.listen = listen;
    }

    public Duration getShutdownGrace() {
      return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = shutdownGrace;
    }

    /** gRPC's health service (grpc.health.v1), with a HealthStatusManager bean. */
    public Toggle getHealth() {
      return health;
    }

    /** Server reflection (grpc.reflection.v1 and v1alpha). */
    public Toggle getReflection() {
      return reflection;
    }

    /** Channelz (grpc.channelz.v1): the server's calls and sockets. */
    public Toggle getChannelz() {
      return channelz;
    }
  }

  /** One of gRPC's standard services; on by default when grpc-services is on the class path. */
  public static class Toggle {
    /** Whether the service is served. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** A named client: one channel, injectable with {@code @Qualifier("NAME")}. */
  public static class Client {
    /** The channel's target, e.g. unix:///run/app.sock or tcp://127.0.0.1:7000. */
    private String target;
    /** Runs the calls' callbacks on the transport's thread instead of an executor. */
    private boolean directExecutor;
    /** The deadline of every call that sets none itself; none by default. */
    private Duration deadline;

    public String getTarget() {
      return target;
    }

    public void setTarget(String target) {
      this.target = target;
    }

    public boolean isDirectExecutor() {
      return directExecutor;
    }

    public void setDirectExecutor(boolean directExecutor) {
      this.directExecutor = directExecutor;
    }

    public Duration getDeadline() {
      return deadline;
    }

    public void setDeadline(Duration deadline) {
      this.deadline = deadline;
    }
  }
}
