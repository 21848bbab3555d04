package dev.plumb.shared;

import java.nio.file.Path;

/** Shared buffers over {@code tcp:}, which passes no descriptors: the bytes travel inline. */
class TcpAttachedCallsTest extends AbstractAttachedCallsTest {
  @Override
  protected String listenAddress(Path directory) {
    return "tcp://127.0.0.1:0";
  }

  @Override
  protected boolean passesDescriptors() {
    return false;
  }
}
