package dev.plumb.rpc;

import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ManagedChannelProvider;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Collections;

/**
 * Lets {@code Grpc.newChannelBuilder("tcp://...", InsecureChannelCredentials.create())} build a
 * Plumb channel with no Plumb import: gRPC picks this provider because Plumb's name resolvers
 * produce {@link PlumbAddress}es, which only this provider supports.
 */
public final class PlumbManagedChannelProvider extends ManagedChannelProvider {
  @Override
  protected boolean isAvailable() {
    return true;
  }

  /** Below grpc-netty's 5, so plain host:port targets still go to Netty when it is present. */
  @Override
  protected int priority() {
    return 3;
  }

  @Override
  protected ManagedChannelBuilder<?> builderForAddress(String name, int port) {
    throw new UnsupportedOperationException(
        "Plumb channels take a target URI such as tcp://" + name + ":" + port);
  }

  @Override
  protected ManagedChannelBuilder<?> builderForTarget(String target) {
    return PlumbChannelBuilder.forTarget(target);
  }

  @Override
  protected NewChannelBuilderResult newChannelBuilder(String target, ChannelCredentials creds) {
    if (!(creds instanceof InsecureChannelCredentials)) {
      return NewChannelBuilderResult.error(
          "Plumb channels accept only InsecureChannelCredentials, not " + creds);
    }
    return NewChannelBuilderResult.channelBuilder(PlumbChannelBuilder.forTarget(target));
  }

  @Override
  protected Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return Collections.singleton(PlumbAddress.class);
  }
}
