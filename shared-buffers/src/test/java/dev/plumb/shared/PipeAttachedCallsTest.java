package dev.plumb.shared;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.ChildJvm;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;

/**
 * Shared buffers over {@code pipe:} (the server is the channel's child, on its stdin and
 * stdout; each channel starts its own), which passes no descriptors: the bytes travel inline.
 */
class PipeAttachedCallsTest extends AbstractAttachedCallsTest {
  @Override
  protected String listenAddress(Path directory) {
    return null;
  }

  @Override
  protected ManagedChannelBuilder<?> channelBuilder() {
    return PlumbChannelBuilder.forTarget(
        "pipe:" + ChildJvm.commandLine(SharedServerMain.class, "stdio:"));
  }

  @Override
  protected boolean passesDescriptors() {
    return false;
  }
}
