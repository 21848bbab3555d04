package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Attributes;
import io.grpc.Status;
import io.grpc.internal.ManagedClientTransport;
import io.grpc.internal.ObjectPool;
import io.grpc.internal.ServerTransportListener;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Drives one client or server session on the test's thread, as Netty's {@code EmbeddedChannel}
 * drives a codec. The harness is the session's {@link Connection}: the test plays the peer by
 * handing frames in ({@link #receive}) and reading what the session wrote ({@link #sent}), time
 * moves only when the test moves {@link #clock}, and the link reports its death when the
 * session closed it and the test next hands something in ({@link #settle}). No socket, no
 * thread of its own: every run is the same.
 */
final class SessionHarness implements Connection {
  static final PlumbAddress ADDRESS = new PlumbAddress(URI.create("harness:peer"));

  final ManualClock clock = new ManualClock();
  private final ArrayDeque<Frame> written = new ArrayDeque<>();
  /** The wire lengths of frames the link has not taken, when {@link #holdLink} was called. */
  private final ArrayDeque<Integer> held = new ArrayDeque<>();
  private boolean holdingLink;
  private ConnectionHandler handler;
  private Object transport;
  private Session<?> session;
  private Status closeReason;
  private boolean closeDelivered;
  private boolean started;
  /** What the client's connect returns: this harness at once, unless made to wait. */
  private CompletableFuture<Connection> connectResult = CompletableFuture.completedFuture(this);

  private SessionHarness() {}

  /** A server session on this harness, started with {@code listener}, its HELLO sent. */
  static SessionHarness server(ProtocolSettings settings, ServerTransportListener listener) {
    SessionHarness harness = serverNotStarted(settings);
    harness.serverTransport().start(listener);
    return harness;
  }

  /**
   * A server transport on this harness that gRPC knows of ({@code transportCreated}) but that
   * has not been started yet: {@code serverTransport().start(listener)} starts it.
   */
  static SessionHarness serverNotStarted(ProtocolSettings settings) {
    SessionHarness harness = new SessionHarness();
    PlumbServerTransport transport =
        new PlumbServerTransport(harness, settings, List.of(), harness.clockPool(),
            harness.clock::nanoTime);
    harness.transport = transport;
    harness.session = transport.session();
    return harness;
  }

  /** A client session on this harness, started with {@code listener}, its HELLO sent. */
  static SessionHarness client(ProtocolSettings settings,
      ManagedClientTransport.Listener listener) {
    return client(settings, listener, new SessionHarness());
  }

  /**
   * A client session whose connect has not finished: {@link #finishConnecting} hands it this
   * harness. The attempt cannot be cancelled, as when the link is made just as the client
   * gives up.
   */
  static SessionHarness clientStillConnecting(ProtocolSettings settings,
      ManagedClientTransport.Listener listener) {
    SessionHarness harness = new SessionHarness();
    harness.connectResult = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
      }
    };
    return client(settings, listener, harness);
  }

  /** The pending connect of {@link #clientStillConnecting} succeeds. */
  void finishConnecting() {
    connectResult.complete(this);
    settle();
  }

  private static SessionHarness client(ProtocolSettings settings,
      ManagedClientTransport.Listener listener, SessionHarness harness) {
    PlumbTransport connecting = harness.transportConnectingHere();
    PlumbClientTransport transport = new PlumbClientTransport(ADDRESS,
        () -> connecting.connect(ADDRESS), "harness", Attributes.EMPTY, settings,
        harness.clock);
    harness.transport = transport;
    harness.session = transport.session();
    transport.start(listener).run();
    return harness;
  }

  PlumbServerTransport serverTransport() {
    return (PlumbServerTransport) transport;
  }

  PlumbClientTransport clientTransport() {
    return (PlumbClientTransport) transport;
  }

  /** Whether the calling thread holds the session's lock: callbacks must never see true. */
  boolean sessionLockHeld() {
    return Thread.holdsLock(session.lock);
  }

  // ---- the peer's side ------------------------------------------------------------------------

  /** The peer's HELLO with default settings. */
  void receiveHello() {
    receive(Frame.of(FrameType.HELLO, 0, 0, Hello.newBuilder().setAgent("harness").build()
        .toByteArray()));
  }

  /** Hands {@code frame} to the session as the link's reader would, then {@link #settle}s. */
  void receive(Frame frame) {
    receiveTogether(frame);
  }

  /**
   * Hands {@code frames} to the session as one read of the link would, then {@link #settle}s:
   * the read ends ({@code onReadComplete}) after the last.
   */
  void receiveTogether(Frame... frames) {
    for (Frame frame : frames) {
      handler.onFrame(frame);
    }
    handler.onReadComplete();
    settle();
  }

  /** If the session closed the link, the link now reports its death, once. */
  void settle() {
    if (closeReason != null && !closeDelivered && handler != null) {
      closeDelivered = true;
      handler.onClosed(closeReason);
    }
  }

  /** The frames the session wrote since the last call, oldest first. */
  List<Frame> sent() {
    List<Frame> frames = new ArrayList<>(written);
    written.clear();
    return frames;
  }

  /** The oldest frame the session wrote and the test has not taken. */
  Frame nextSent() {
    Frame frame = written.poll();
    assertNotNull(frame, "the session wrote nothing more");
    return frame;
  }

  /**
   * From now on the link takes nothing the session writes until {@link #linkTakes}: a peer
   * that stopped reading. (By default the link takes each frame as it is written.)
   */
  void holdLink() {
    holdingLink = true;
  }

  /** The link takes the oldest {@code frames} frames it held back, and tells the session. */
  void linkTakes(int frames) {
    long bytes = 0;
    for (int i = 0; i < frames && !held.isEmpty(); i++) {
      bytes += held.poll();
    }
    handler.onSent(bytes);
    settle();
  }

  /** How many written frames the link holds back. */
  int heldFrames() {
    return held.size();
  }

  /** Why the session closed the link, or null while it is open. */
  Status closedWith() {
    return closeReason;
  }

  /** Whether the session started this link (it must not once it was shut down). */
  boolean started() {
    return started;
  }

  // ---- Connection ---------------------------------------------------------------------------

  @Override
  public void start(ConnectionHandler handler) {
    this.handler = handler;
    started = true;
  }

  @Override
  public void write(Frame frame) {
    if (closeReason == null) {
      written.add(frame);
      if (holdingLink) {
        held.add(frame.wireLength());
      } else {
        handler.onSent(frame.wireLength());
      }
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close(Status reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
  }

  @Override
  public Attributes attributes() {
    return Attributes.EMPTY;
  }

  private ObjectPool<ScheduledExecutorService> clockPool() {
    return new ObjectPool<>() {
      @Override
      public ScheduledExecutorService getObject() {
        return clock;
      }

      @Override
      public ScheduledExecutorService returnObject(Object object) {
        return null;
      }
    };
  }

  /** A transport whose every connection attempt succeeds at once, onto this harness. */
  private PlumbTransport transportConnectingHere() {
    return new PlumbTransport() {
      @Override
      public Set<String> schemes() {
        return Set.of("harness");
      }

      @Override
      public PlumbAddress parse(URI uri) {
        return ADDRESS;
      }

      @Override
      public CompletableFuture<Connection> connect(PlumbAddress address) {
        return connectResult;
      }

      @Override
      public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) {
        throw new UnsupportedOperationException("the harness only connects");
      }
    };
  }
}
