package dev.plumb.spring;

import dev.plumb.rpc.PlumbChannelBuilder;

/**
 * A bean that sets what the properties do not on each named client's channel before it is
 * built: interceptors, retries, keep-alive. Every such bean is applied to every client, in
 * {@code @Order}, after the starter's own settings.
 */
@FunctionalInterface
public interface PlumbChannelConfigurer {
  /**
   * @param name the client's name, as in {@code plumb.client.NAME.target}
   */
  void configure(String name, PlumbChannelBuilder builder);
}
