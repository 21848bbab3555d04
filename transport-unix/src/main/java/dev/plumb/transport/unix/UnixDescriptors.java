package dev.plumb.transport.unix;

import dev.plumb.rpc.kit.DescriptorLink;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * A Unix socket's {@code SCM_RIGHTS}, for the attachments the core sends beside frames
 * (docs/SHARED_BUFFERS.md): {@code unix:}'s connections, and {@code shm:}'s rendezvous socket. With an ancillary receive buffer set, junixsocket reads with
 * {@code recvmsg} and that buffer, allocated once, where it would read with {@code recv}: no
 * system call and no allocation more per read. It keeps what arrives, in order, until
 * {@link #takeReceived} asks.
 */
public final class UnixDescriptors implements DescriptorLink {
  /**
   * Bytes of control data one read takes: room for 255 descriptors (an ATTACH names at most
   * 255) with their headers. More in one read fails the read, and the connection with it.
   */
  private static final int RECEIVE_BUFFER = 2048;

  private final AFUNIXSocket socket;

  private UnixDescriptors(AFUNIXSocket socket) {
    this.socket = socket;
  }

  /** The descriptor link of {@code socket}, which from now on receives descriptors. */
  public static UnixDescriptors of(AFUNIXSocket socket) throws SocketException {
    socket.setAncillaryReceiveBufferSize(RECEIVE_BUFFER);
    return new UnixDescriptors(socket);
  }

  @Override
  public void setOutbound(FileDescriptor[] descriptors) throws IOException {
    socket.setOutboundFileDescriptors(descriptors);
  }

  @Override
  public FileDescriptor[] takeReceived() {
    try {
      return socket.getReceivedFileDescriptors();
    } catch (IOException e) {
      // The socket is closed: it closed what it held.
      return new FileDescriptor[0];
    }
  }
}
