package dev.plumb.shared;

import java.nio.file.Path;

/**
 * Shared buffers over {@code shm:}: the descriptors travel over its rendezvous socket beside
 * the ATTACH records of its rings, and the receiver maps the sender's own pages.
 */
class ShmAttachedCallsTest extends AbstractAttachedCallsTest {
  @Override
  protected String listenAddress(Path directory) {
    return "shm://" + directory.resolve("s.sock");
  }

  @Override
  protected boolean passesDescriptors() {
    return true;
  }
}
