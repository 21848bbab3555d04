package dev.plumb.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The named clients of {@code plumb.client.NAME.target}: a {@link PlumbChannels} bean and one
 * qualified {@code ManagedChannel} bean per client ({@link PlumbChannelRegistrar}).
 */
@AutoConfiguration
@EnableConfigurationProperties(PlumbProperties.class)
@Import(PlumbChannelRegistrar.class)
public class PlumbClientAutoConfiguration {
  /** Named as {@link PlumbChannelRegistrar#CHANNELS_BEAN}, which the channel beans call. */
  @Bean(PlumbChannelRegistrar.CHANNELS_BEAN)
  PlumbChannels plumbChannels(PlumbProperties properties,
      ObjectProvider<PlumbChannelConfigurer> configurers) {
    return PlumbChannels.create(properties.getClient(), PlumbSettings.ofProcess(),
        configurers.orderedStream().toList());
  }
}
