package dev.plumb.spring;

import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The channels of the named clients ({@code plumb.client.NAME.target}), made when the context
 * starts (a channel connects on its first call) and closed when it closes, after the server
 * has drained. Each one is also a {@link ManagedChannel} bean with the qualifier NAME:
 * {@code @Qualifier("calculator") ManagedChannel channel}.
 */
public final class PlumbChannels implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(PlumbChannels.class);
  /** How long calls still open when the context closes have before they are cancelled. */
  private static final Duration CLOSING = Duration.ofSeconds(5);

  private final Map<String, ManagedChannel> channels;

  private PlumbChannels(Map<String, ManagedChannel> channels) {
    this.channels = Collections.unmodifiableMap(channels);
  }

  /**
   * Makes one channel per client, each from Plumb's configuration with the client's target
   * (so Plumb's own keys, e.g. {@code plumb.keepAliveTime}, apply), then its options, then the
   * configurers.
   *
   * @throws IllegalStateException if a client has no target
   * @throws IllegalArgumentException if no transport serves a target, or Plumb's configuration
   *     is faulty (the message names the key)
   */
  static PlumbChannels create(Map<String, PlumbProperties.Client> clients, PlumbSettings settings,
      List<PlumbChannelConfigurer> configurers) {
    Map<String, ManagedChannel> made = new LinkedHashMap<>();
    try {
      clients.forEach((name, client) ->
          made.put(name, build(name, client, settings, configurers)));
    } catch (RuntimeException e) {
      made.values().forEach(ManagedChannel::shutdownNow);
      throw e;
    }
    return new PlumbChannels(made);
  }

  private static ManagedChannel build(String name, PlumbProperties.Client client,
      PlumbSettings settings, List<PlumbChannelConfigurer> configurers) {
    String target = client.getTarget();
    if (target == null || target.isBlank()) {
      throw new IllegalStateException(PlumbProperties.PREFIX + ".client." + name
          + ".target is not set: the client '" + name + "' needs the address of its server,"
          + " e.g. unix:///run/app.sock or tcp://127.0.0.1:7000");
    }
    PlumbChannelBuilder builder = settings.loader().target(target).load().channelBuilder();
    if (client.isDirectExecutor()) {
      builder.directExecutor();
    }
    if (client.getDeadline() != null) {
      builder.intercept(new DefaultDeadline(client.getDeadline()));
    }
    configurers.forEach(configurer -> configurer.configure(name, builder));
    return builder.build();
  }

  /**
   * The channel of client {@code name}.
   *
   * @throws IllegalArgumentException if no client has that name; the message lists them
   */
  public ManagedChannel get(String name) {
    ManagedChannel channel = channels.get(name);
    if (channel == null) {
      throw new IllegalArgumentException("no Plumb client named '" + name + "'; set "
          + PlumbProperties.PREFIX + ".client." + name + ".target (clients: "
          + channels.keySet() + ")");
    }
    return channel;
  }

  /** The clients' names, in the order of the configuration. */
  public Set<String> names() {
    return channels.keySet();
  }

  /** Closes every channel: open calls get a few seconds, then are cancelled. */
  @Override
  public void destroy() throws InterruptedException {
    channels.values().forEach(ManagedChannel::shutdown);
    long deadline = System.nanoTime() + CLOSING.toNanos();
    for (Map.Entry<String, ManagedChannel> entry : channels.entrySet()) {
      ManagedChannel channel = entry.getValue();
      if (!channel.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        log.warn("client '{}': calls still open {} s after the context closed; cancelling them",
            entry.getKey(), CLOSING.toSeconds());
        channel.shutdownNow();
        channel.awaitTermination(CLOSING.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }
}
