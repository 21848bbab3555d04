package dev.plumb.transport.tcp;

import io.netty.channel.Channel;

/**
 * What goes into a new channel's pipeline ahead of its {@link NettyConnection}: nothing on a
 * plaintext link, the TLS handlers ({@link TlsLinks}) on a TLS one. Runs on the channel's event
 * loop, once per channel.
 */
@FunctionalInterface
interface LinkSetup {
  LinkSetup PLAINTEXT = (channel, connection) -> { };

  void install(Channel channel, NettyConnection connection);
}
