package dev.plumb.rpc.kit;

import java.io.FileDescriptor;
import java.io.IOException;

/**
 * A byte-stream link's side channel for descriptors (a Unix socket's {@code SCM_RIGHTS}), for
 * a {@link BlockingStreamConnection} that passes them.
 */
public interface DescriptorLink {
  /** Descriptors that the link's next write system call carries. */
  void setOutbound(FileDescriptor[] descriptors) throws IOException;

  /**
   * The descriptors the link received since the last call, in the order they came; empty if
   * none. The caller owns them.
   */
  FileDescriptor[] takeReceived();
}
