package dev.plumb.transport.shm;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.kit.Refusal;
import dev.plumb.rpc.kit.RefusedConnection;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Descriptors;
import dev.plumb.transport.shm.SegmentDescriptor.BadSegmentException;
import dev.plumb.transport.unix.UnixSocketAddress;
import dev.plumb.transport.unix.UnixRendezvous;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Status;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.newsclub.net.unix.AFUNIXSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set-up of an {@code shm:} connection over its rendezvous socket, after the listener
 * admitted the peer (same access rules as {@code unix:}):
 *
 * <pre>
 *   server                                          client
 *     create segment, map, unlink its name
 *     "PLUMBSHM" + the segment's descriptor ----->  (SCM_RIGHTS)
 *                                                   map the descriptor, check the header
 *     ... doorbell bytes both ways, until either end closes the socket ...
 * </pre>
 *
 * A refused peer gets the preface and a GO_AWAY instead of the greeting ({@code unix:}'s
 * refusal, {@link dev.plumb.rpc.kit.Refusal}); the client reads that GO_AWAY within the
 * handshake, closes the socket, and hands the core a {@link RefusedConnection} that delivers it,
 * so that the core fails the connection attempt with its code (PERMISSION_DENIED) and reason. No ack is needed: the client holds the
 * segment the moment it has received the descriptor, and the file had no name by then.
 */
final class Rendezvous {
  private static final Logger log = LoggerFactory.getLogger(Rendezvous.class);
  static final byte[] GREETING = "PLUMBSHM".getBytes(StandardCharsets.US_ASCII);
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
  /** A refusal's GO_AWAY is far smaller (its reason is capped); anything larger is not one. */
  private static final int REFUSAL_MAX_FRAME = 4096;

  private static final long OWN_UID = UnixRendezvous.ownCredentials().uid().orElse(-1);

  private Rendezvous() {}

  /**
   * Server: sets up the segment for an admitted peer and returns the connection, or null if
   * the peer hung up before the greeting (a probe of the socket file, say; logged at DEBUG).
   *
   * @throws IOException if the segment cannot be made (the listener logs it)
   */
  static Connection accept(ShmEndpoint endpoint, AFUNIXSocket socket, PeerCredentials peer,
      UnixSocketAddress local, UnixSocketAddress remote) throws IOException {
    Segment.Created created;
    try {
      created = Segment.create(endpoint.options.ringSize);
    } catch (SegmentSpace.SegmentUnavailableException e) {
      refuse(endpoint, socket, peer, Status.RESOURCE_EXHAUSTED.withDescription(
          endpoint.describe() + ": " + e.getMessage()));
      return null;
    }
    Segment segment = created.segment;
    try (created) {
      created.admit(peer.uid().orElse(-1), OWN_UID);
      // The rings' views read their counters from the segment: taken while it is this side's
      // alone and zeroed. Once the greeting is out the client writes there, and a client that
      // corrupts a counter at once must meet the reader's check (a GO_AWAY), not this thread's.
      SpscRing inbound = segment.clientToServer();
      SpscRing outbound = segment.serverToClient();
      try {
        socket.setOutboundFileDescriptors(created.descriptor());
        socket.getOutputStream().write(GREETING);
        socket.setOutboundFileDescriptors((FileDescriptor[]) null);
      } catch (IOException e) {
        log.debug("{}: pid {} left before the handshake: {}", endpoint.describe(),
            peer.pid().orElse(-1), e.getMessage());
        closeQuietly(socket);
        segment.release();
        return null;
      }
      return new ShmConnection(endpoint.describe() + " from pid " + peer.pid().orElse(-1),
          socket, segment, inbound, outbound, endpoint.options.idle,
          attributes(local, remote, peer));
    } catch (IOException | RuntimeException e) {
      segment.release();
      throw e;
    }
  }

  /**
   * Tells an admitted peer that this server cannot serve it now ({@code unix:}'s refusal: the
   * preface and a GO_AWAY with {@code reason}, which the client's calls fail with), and hangs up.
   */
  private static void refuse(ShmEndpoint endpoint, AFUNIXSocket socket, PeerCredentials peer,
      Status reason) {
    log.warn("refusing pid {}: {}", peer.pid().orElse(-1), reason.getDescription());
    try {
      socket.getOutputStream().write(Refusal.streamBytes(reason));
    } catch (IOException e) {
      log.debug("{}: pid {} left before its refusal: {}", endpoint.describe(),
          peer.pid().orElse(-1), e.getMessage());
    }
    closeQuietly(socket);
  }

  /**
   * Client: connects, receives and checks the segment, and returns the connection (or, if the
   * server refused this peer or this client does not trust the server, a connection that
   * delivers the refusal).
   *
   * @throws IOException saying what failed: the connect, the handshake, or the segment check
   */
  static Connection connect(ShmEndpoint endpoint) throws IOException {
    UnixSocketAddress local = UnixSocketAddress.unnamed(ProcessHandle.current().pid());
    UnixSocketAddress remote = UnixSocketAddress.named(endpoint.address().toString());
    AFUNIXSocket socket;
    try {
      socket = endpoint.socket.connect();
    } catch (UnixRendezvous.UntrustedServerException e) {
      // Not a server this client trusts (serverUids): closed before its greeting was read.
      return new RefusedConnection(endpoint.describe(), e.refusal(),
          attributes(local, remote, e.server()));
    }
    try {
      PeerCredentials server = UnixRendezvous.peerCredentials(socket);
      Attributes attributes = attributes(local, remote, server);
      socket.setAncillaryReceiveBufferSize(1024);
      socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
      byte[] greeting = new byte[GREETING.length];
      FileDescriptor[] received = readGreeting(socket, greeting, endpoint);
      if (Arrays.equals(greeting, Preface.bytes())) {
        Descriptors.close(received, 0);
        // A refusal: the preface, then a GO_AWAY, which the core turns into the call's status.
        Frame goAway = readRefusal(socket, greeting, endpoint);
        closeQuietly(socket);
        return new RefusedConnection(endpoint.describe(), goAway, attributes);
      }
      if (!Arrays.equals(greeting, GREETING)) {
        Descriptors.close(received, 0);
        throw new IOException(endpoint.describe() + ": not a Plumb shm: server: it sent "
            + Preface.quote(greeting) + " instead of the shm: greeting");
      }
      if (received == null || received.length != 1) {
        Descriptors.close(received, 0);
        throw new IOException(endpoint.describe() + ": the server's greeting came without the"
            + " shared-memory segment's descriptor");
      }
      socket.setSoTimeout(0);
      Segment segment;
      try {
        segment = Segment.open(received[0]);
      } catch (BadSegmentException e) {
        throw refusingSegment(endpoint, e);
      }
      try {
        return new ShmConnection(endpoint.describe(), socket, segment, segment.serverToClient(),
            segment.clientToServer(), endpoint.options.idle, attributes);
      } catch (SpscRing.CorruptRingException e) {
        segment.release();
        throw refusingSegment(endpoint, e);
      } catch (IOException | RuntimeException e) {
        segment.release();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  private static IOException refusingSegment(ShmEndpoint endpoint, Exception why) {
    return new IOException(endpoint.describe() + ": refusing the server's shared-memory"
        + " segment: " + why.getMessage(), why);
  }

  /**
   * Reads the refusal that follows the preface: one frame, which must be a GO_AWAY, within the
   * handshake timeout. The frame is small ({@link dev.plumb.rpc.kit.Refusal} caps it).
   */
  private static Frame readRefusal(AFUNIXSocket socket, byte[] preface, ShmEndpoint endpoint)
      throws IOException {
    FrameDecoder decoder = new FrameDecoder(REFUSAL_MAX_FRAME, true);
    List<Frame> frames = new ArrayList<>();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[1024];
    try {
      decoder.decode(ByteBuffer.wrap(preface), frames::add);
      while (frames.isEmpty()) {
        int n = in.read(buffer);
        if (n < 0) {
          throw new IOException(endpoint.describe() + ": the server closed the rendezvous socket"
              + " in the middle of its refusal (" + decoder.describePartialInput() + ")");
        }
        decoder.decode(ByteBuffer.wrap(buffer, 0, n), frames::add);
      }
    } catch (ProtocolException e) {
      throw new IOException(endpoint.describe() + ": the server's refusal is malformed: "
          + e.getMessage(), e);
    }
    Frame frame = frames.get(0);
    if (frame.type() != FrameType.GO_AWAY) {
      throw new IOException(endpoint.describe() + ": the server sent " + frame + " where an"
          + " shm: greeting or a refusal belongs");
    }
    return frame;
  }

  /** Reads exactly the greeting's length; returns the descriptors that came with it. */
  private static FileDescriptor[] readGreeting(AFUNIXSocket socket, byte[] greeting,
      ShmEndpoint endpoint) throws IOException {
    InputStream in = socket.getInputStream();
    FileDescriptor[] received = null;
    int at = 0;
    while (at < greeting.length) {
      int n = in.read(greeting, at, greeting.length - at);
      FileDescriptor[] now = socket.getReceivedFileDescriptors();
      if (now != null && now.length > 0) {
        if (received != null) {
          Descriptors.close(now, 0);
        } else {
          received = now;
        }
      }
      if (n < 0) {
        Descriptors.close(received, 0);
        throw new IOException(endpoint.describe() + ": the server closed the rendezvous socket"
            + " after " + at + " of " + greeting.length + " greeting bytes");
      }
      at += n;
    }
    return received;
  }

  private static void closeQuietly(AFUNIXSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to free.
    }
  }

  private static Attributes attributes(UnixSocketAddress local, UnixSocketAddress remote,
      PeerCredentials peer) {
    return Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, local)
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, remote)
        .set(PlumbAttributes.PEER_CREDENTIALS, peer)
        .build();
  }
}
