package dev.plumb.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Added to the example server in the tests: a {@link CallGate} bean, which the starter applies
 * as one of the server's interceptors.
 */
@Configuration(proxyBeanMethods = false)
class GatedServer {
  @Bean
  CallGate gate() {
    return new CallGate();
  }
}
