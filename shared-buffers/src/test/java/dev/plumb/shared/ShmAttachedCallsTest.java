package dev.plumb.shared;

import java.nio.file.Path;

/**
 * Shared buffers over {@code shm:}, which does not pass descriptors yet: the bytes travel
 * inline through its rings.
 */
class ShmAttachedCallsTest extends AbstractAttachedCallsTest {
  @Override
  protected String listenAddress(Path directory) {
    return "shm://" + directory.resolve("s.sock");
  }

  @Override
  protected boolean passesDescriptors() {
    return false;
  }
}
