package dev.plumb.spring;

import dev.plumb.rpc.PlumbServerBuilder;

/**
 * A bean that sets what the properties do not on the starter's server before it is built:
 * an executor, limits, a handshake timeout, more services. Every such bean is applied, in
 * {@code @Order}, after the starter's own settings, so it may override them.
 */
@FunctionalInterface
public interface PlumbServerConfigurer {
  void configure(PlumbServerBuilder builder);
}
