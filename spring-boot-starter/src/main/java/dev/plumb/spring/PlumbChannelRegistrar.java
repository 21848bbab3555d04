package dev.plumb.spring;

import io.grpc.ManagedChannel;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link ManagedChannel} bean per named client, with the client's name as its
 * qualifier, so that {@code @Qualifier("calculator") ManagedChannel channel} is injected with
 * {@code PlumbChannels.get("calculator")}. Bean definitions are registered before any bean
 * exists, so the names are read from the environment here; the channels themselves are
 * {@link PlumbChannels}', which closes them.
 */
final class PlumbChannelRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {
  /** The bean name of {@link PlumbChannels} in {@link PlumbClientAutoConfiguration}. */
  static final String CHANNELS_BEAN = "plumbChannels";
  /** Bean names are this and the client's name: a user's bean named "calculator" stays. */
  static final String CHANNEL_BEAN_PREFIX = "plumbChannel.";

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata,
      BeanDefinitionRegistry registry) {
    Map<String, PlumbProperties.Client> clients = Binder.get(environment)
        .bind(PlumbProperties.PREFIX + ".client",
            Bindable.mapOf(String.class, PlumbProperties.Client.class))
        .orElse(Map.of());
    for (String name : clients.keySet()) {
      RootBeanDefinition channel = new RootBeanDefinition();
      channel.setTargetType(ManagedChannel.class);
      channel.setFactoryBeanName(CHANNELS_BEAN);
      channel.setFactoryMethodName("get");
      channel.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
      channel.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
      registry.registerBeanDefinition(CHANNEL_BEAN_PREFIX + name, channel);
    }
  }
}
