package dev.plumb.shared;

import dev.plumb.rpc.attach.AttachmentSupport;
import dev.plumb.rpc.attach.InlineCopy;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import java.io.FileDescriptor;
import java.io.IOException;

/**
 * What the core's builders load from this module ({@code ServiceLoader}): the interceptors that
 * turn messages' {@code SharedBytes} into attachments and back, and the private copies of
 * buffers that arrive inline. Public for the service loader only.
 */
public final class SharedBuffersSupport implements AttachmentSupport {
  private static final ClientInterceptor CLIENT = new AttachingClientInterceptor();
  private static final ServerInterceptor SERVER = new AttachingServerInterceptor();

  @Override
  public ClientInterceptor clientInterceptor() {
    return CLIENT;
  }

  @Override
  public ServerInterceptor serverInterceptor() {
    return SERVER;
  }

  @Override
  public InlineCopy inlineCopy(long length) throws IOException {
    return PrivateCopy.of(length);
  }

  @Override
  public AutoCloseable receivedDescriptor(FileDescriptor descriptor, long length)
      throws IOException {
    return ReceivedSegments.open(descriptor, length);
  }
}
