package dev.plumb.rpc.attach;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.Optional;

/**
 * The hook by which a module on the class path (plumb-shared-buffers) turns messages into
 * attachments and back: the core's channel and server builders install its interceptors, and
 * a side announces in its HELLO that it accepts attachments only when it has one. Found with
 * {@link java.util.ServiceLoader}; without one, nothing changes.
 */
public interface AttachmentSupport {
  /** Queues the attachments of each outbound message, binds those of each inbound one. */
  ClientInterceptor clientInterceptor();

  /** The same for a server's calls. */
  ServerInterceptor serverInterceptor();

  /** An empty copy of {@code length} bytes for an attachment that arrives inline. */
  InlineCopy inlineCopy(long length) throws IOException;

  /**
   * The content of an attachment of {@code length} bytes whose descriptor arrived from the
   * peer; closes {@code descriptor} either way.
   *
   * @throws IOException if the descriptor is not what an attachment of that length must be
   */
  AutoCloseable receivedDescriptor(FileDescriptor descriptor, long length) throws IOException;

  /** The installed support, if a module on the class path provides one. */
  static Optional<AttachmentSupport> installed() {
    return InstalledSupport.SUPPORT;
  }
}
