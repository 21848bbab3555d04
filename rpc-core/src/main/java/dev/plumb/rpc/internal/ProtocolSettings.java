package dev.plumb.rpc.internal;

import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.attach.AttachmentSupport;
import dev.plumb.rpc.frame.FrameCodec;
import java.util.concurrent.TimeUnit;

/**
 * The limits one side of a connection enforces and advertises in its HELLO. Immutable; the
 * builders make one per channel or server from their options. Every limit is checked before
 * memory is allocated for what it limits (docs/PROTOCOL.md, "Limits").
 */
public final class ProtocolSettings {
  static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;
  static final int DEFAULT_STREAM_WINDOW = 1024 * 1024;
  static final int DEFAULT_CONNECTION_WINDOW = 8 * 1024 * 1024;
  static final int DEFAULT_MAX_CONCURRENT_STREAMS = 1000;
  /** As gRPC's default maximum inbound metadata size. */
  public static final int DEFAULT_MAX_METADATA_SIZE = 8 * 1024;
  /** As gRPC's default maximum inbound message size. */
  static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
  static final long DEFAULT_HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** As gRPC: keep-alive pings are off unless a client asks for them. */
  public static final long KEEPALIVE_DISABLED = Long.MAX_VALUE;
  public static final long DEFAULT_KEEPALIVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
  /** As gRPC's servers: clients may ping at most every five minutes, and only during calls. */
  public static final long DEFAULT_PERMIT_KEEPALIVE_NANOS = TimeUnit.MINUTES.toNanos(5);
  /**
   * RESETs a client may send per window before the server ends the connection. A rapid-reset
   * attack sends tens of thousands a second; 100 a second on average leaves room for clients
   * whose calls often end early (deadlines, hedging, cancellation).
   */
  public static final int DEFAULT_MAX_RESETS = 1000;
  static final long DEFAULT_RESET_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** As docs/SHARED_BUFFERS.md: 1 GiB attached per call and per connection by default. */
  public static final long DEFAULT_MAX_ATTACHED_BYTES = 1L << 30;
  /** Descriptors of attachments a connection's open calls may hold at once, by default. */
  public static final int DEFAULT_MAX_ATTACHMENT_DESCRIPTORS = 1024;

  public static final ProtocolSettings DEFAULTS = new ProtocolSettings(
      DEFAULT_MAX_FRAME_SIZE, DEFAULT_STREAM_WINDOW, DEFAULT_CONNECTION_WINDOW,
      DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_METADATA_SIZE, DEFAULT_MAX_MESSAGE_SIZE,
      DEFAULT_HANDSHAKE_TIMEOUT_NANOS, new KeepAlive(KEEPALIVE_DISABLED,
          DEFAULT_KEEPALIVE_TIMEOUT_NANOS, false, DEFAULT_PERMIT_KEEPALIVE_NANOS, false),
      DEFAULT_MAX_RESETS, DEFAULT_RESET_WINDOW_NANOS, ConnectionLifetime.UNLIMITED, null,
      new AttachmentLimits(DEFAULT_MAX_ATTACHED_BYTES, DEFAULT_MAX_ATTACHED_BYTES,
          DEFAULT_MAX_ATTACHMENT_DESCRIPTORS));

  /**
   * Keep-alive: when this side PINGs a quiet peer and how long it waits for an answer (a
   * client also whether without calls; a server pings regardless), and what a server permits
   * before it ends a connection for pinging too often.
   */
  static final class KeepAlive {
    final long timeNanos;
    final long timeoutNanos;
    final boolean withoutCalls;
    final long permitTimeNanos;
    final boolean permitWithoutCalls;

    KeepAlive(long timeNanos, long timeoutNanos, boolean withoutCalls, long permitTimeNanos,
        boolean permitWithoutCalls) {
      this.timeNanos = timeNanos;
      this.timeoutNanos = timeoutNanos;
      this.withoutCalls = withoutCalls;
      this.permitTimeNanos = permitTimeNanos;
      this.permitWithoutCalls = permitWithoutCalls;
    }

    boolean enabled() {
      return timeNanos != KEEPALIVE_DISABLED;
    }
  }

  /**
   * What this side accepts of a peer's attachments: bytes per call and per connection (over
   * the calls open on it), and descriptors per connection.
   */
  static final class AttachmentLimits {
    final long bytesPerCall;
    final long bytesPerConnection;
    final int descriptorsPerConnection;

    AttachmentLimits(long bytesPerCall, long bytesPerConnection, int descriptorsPerConnection) {
      this.bytesPerCall = bytesPerCall;
      this.bytesPerConnection = bytesPerConnection;
      this.descriptorsPerConnection = descriptorsPerConnection;
    }
  }

  private static final String AGENT = "plumb-java/"
      + (ProtocolSettings.class.getPackage().getImplementationVersion() == null
          ? "dev" : ProtocolSettings.class.getPackage().getImplementationVersion());

  private final int maxFrameSize;
  private final int streamWindow;
  private final int connectionWindow;
  private final int maxConcurrentStreams;
  private final int maxMetadataSize;
  private final int maxMessageSize;
  private final long handshakeTimeoutNanos;
  private final KeepAlive keepAlive;
  private final int maxResets;
  private final long resetWindowNanos;
  private final ConnectionLifetime lifetime;
  /** What makes copies of inline attachments; null if this side accepts no attachments. */
  private final AttachmentSupport attachments;
  private final AttachmentLimits attachmentLimits;

  private ProtocolSettings(int maxFrameSize, int streamWindow, int connectionWindow,
      int maxConcurrentStreams, int maxMetadataSize, int maxMessageSize,
      long handshakeTimeoutNanos, KeepAlive keepAlive, int maxResets, long resetWindowNanos,
      ConnectionLifetime lifetime, AttachmentSupport attachments,
      AttachmentLimits attachmentLimits) {
    this.maxFrameSize = maxFrameSize;
    this.streamWindow = streamWindow;
    this.connectionWindow = connectionWindow;
    this.maxConcurrentStreams = maxConcurrentStreams;
    this.maxMetadataSize = maxMetadataSize;
    this.maxMessageSize = maxMessageSize;
    this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    this.keepAlive = keepAlive;
    this.maxResets = maxResets;
    this.resetWindowNanos = resetWindowNanos;
    this.lifetime = lifetime;
    this.attachments = attachments;
    this.attachmentLimits = attachmentLimits;
  }

  public int maxFrameSize() {
    return maxFrameSize;
  }

  int streamWindow() {
    return streamWindow;
  }

  public int connectionWindow() {
    return connectionWindow;
  }

  int maxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  int maxMetadataSize() {
    return maxMetadataSize;
  }

  int maxMessageSize() {
    return maxMessageSize;
  }

  long handshakeTimeoutNanos() {
    return handshakeTimeoutNanos;
  }

  KeepAlive keepAlive() {
    return keepAlive;
  }

  /** RESETs a client may send within {@link #resetWindowNanos} (0: no limit). */
  int maxResets() {
    return maxResets;
  }

  long resetWindowNanos() {
    return resetWindowNanos;
  }

  /** Server side: at most {@code resets} RESETs from a client per {@code window} (0: no limit). */
  public ProtocolSettings withMaxResets(int resets, long window, TimeUnit unit) {
    checkRange("maxResets", resets, 0, Integer.MAX_VALUE);
    checkRange("resetWindow", unit.toNanos(window), 1, Long.MAX_VALUE);
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow,
        maxConcurrentStreams, maxMetadataSize, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        resets, unit.toNanos(window), lifetime, attachments, attachmentLimits);
  }

  /** Client keep-alive: a PING after {@code time} without inbound frames; gRPC clamps values. */
  public ProtocolSettings withKeepAlive(long time, long timeout, TimeUnit unit,
      boolean withoutCalls) {
    long timeNanos = time == Long.MAX_VALUE ? KEEPALIVE_DISABLED
        : io.grpc.internal.KeepAliveManager.clampKeepAliveTimeInNanos(unit.toNanos(time));
    long timeoutNanos =
        io.grpc.internal.KeepAliveManager.clampKeepAliveTimeoutInNanos(unit.toNanos(timeout));
    return with(new KeepAlive(timeNanos, timeoutNanos, withoutCalls, keepAlive.permitTimeNanos,
        keepAlive.permitWithoutCalls));
  }

  /**
   * Server keep-alive: a PING after {@code time} without inbound frames. Bounded as
   * grpc-netty's server bounds it: positive, at least 1 ms, and off from 1000 days on.
   */
  public ProtocolSettings withServerKeepAliveTime(long time, TimeUnit unit) {
    return with(new KeepAlive(ServerDurations.orDisabled("keepAliveTime", unit.toNanos(time),
        ServerDurations.MIN_KEEPALIVE_NANOS), keepAlive.timeoutNanos, keepAlive.withoutCalls,
        keepAlive.permitTimeNanos, keepAlive.permitWithoutCalls));
  }

  /** Server keep-alive: how long a pinged client has to answer; positive, at least 1 ms. */
  public ProtocolSettings withServerKeepAliveTimeout(long timeout, TimeUnit unit) {
    return with(new KeepAlive(keepAlive.timeNanos, ServerDurations.orDisabled("keepAliveTimeout",
        unit.toNanos(timeout), ServerDurations.MIN_KEEPALIVE_NANOS), keepAlive.withoutCalls,
        keepAlive.permitTimeNanos, keepAlive.permitWithoutCalls));
  }

  /** Server side: when connections are closed for idleness or age ({@link ConnectionLifetime}). */
  public ProtocolSettings withLifetime(ConnectionLifetime lifetime) {
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow,
        maxConcurrentStreams, maxMetadataSize, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments, attachmentLimits);
  }

  /**
   * This side accepts attachments, copying inline ones with {@code support}, and says so in
   * its HELLO ({@link AttachmentSupport}, which the builders load).
   */
  public ProtocolSettings withAttachments(AttachmentSupport support) {
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow,
        maxConcurrentStreams, maxMetadataSize, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, support, attachmentLimits);
  }

  /**
   * Limits on a peer's attachments: bytes per call and per connection (the calls open on it),
   * at least 1; descriptors per connection, at least 1.
   */
  public ProtocolSettings withAttachmentLimits(long bytesPerCall, long bytesPerConnection,
      int descriptorsPerConnection) {
    checkRange("maxAttachedBytesPerCall", bytesPerCall, 1, Long.MAX_VALUE);
    checkRange("maxAttachedBytesPerConnection", bytesPerConnection, 1, Long.MAX_VALUE);
    checkRange("maxAttachmentDescriptors", descriptorsPerConnection, 1, Integer.MAX_VALUE);
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow,
        maxConcurrentStreams, maxMetadataSize, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments,
        new AttachmentLimits(bytesPerCall, bytesPerConnection, descriptorsPerConnection));
  }

  AttachmentLimits attachmentLimits() {
    return attachmentLimits;
  }

  /** Bytes a peer may attach to one call. */
  public long maxAttachedBytesPerCall() {
    return attachmentLimits.bytesPerCall;
  }

  /** Bytes a peer may attach to the calls open on one connection. */
  public long maxAttachedBytesPerConnection() {
    return attachmentLimits.bytesPerConnection;
  }

  /** Descriptors of attachments the calls open on one connection may hold. */
  public int maxAttachmentDescriptors() {
    return attachmentLimits.descriptorsPerConnection;
  }

  /** What copies inline attachments, or null if this side accepts none. */
  AttachmentSupport attachments() {
    return attachments;
  }

  ConnectionLifetime lifetime() {
    return lifetime;
  }

  /** Server side: how often clients may ping before the connection is ended. */
  public ProtocolSettings withPermittedKeepAlive(long time, TimeUnit unit, boolean withoutCalls) {
    if (time < 0) {
      throw new IllegalArgumentException("permitted keep-alive time must not be negative: " + time);
    }
    return with(new KeepAlive(keepAlive.timeNanos, keepAlive.timeoutNanos,
        keepAlive.withoutCalls, unit.toNanos(time), withoutCalls));
  }

  private ProtocolSettings with(KeepAlive keepAlive) {
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow,
        maxConcurrentStreams, maxMetadataSize, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments, attachmentLimits);
  }

  public ProtocolSettings withMaxFrameSize(int bytes) {
    checkRange("maxFrameSize", bytes, 1024, FrameCodec.MAX_FRAME_SIZE_LIMIT);
    checkRange("maxMetadataSize", maxMetadataSize, 1, bytes);
    return new ProtocolSettings(bytes, streamWindow, connectionWindow, maxConcurrentStreams,
        maxMetadataSize, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments, attachmentLimits);
  }

  public ProtocolSettings withWindows(int streamBytes, int connectionBytes) {
    checkRange("streamWindow", streamBytes, 1024, Integer.MAX_VALUE);
    checkRange("connectionWindow", connectionBytes, streamBytes, Integer.MAX_VALUE);
    return new ProtocolSettings(maxFrameSize, streamBytes, connectionBytes, maxConcurrentStreams,
        maxMetadataSize, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments, attachmentLimits);
  }

  public ProtocolSettings withMaxConcurrentStreams(int streams) {
    checkRange("maxConcurrentStreams", streams, 1, Integer.MAX_VALUE);
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow, streams,
        maxMetadataSize, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments, attachmentLimits);
  }

  public ProtocolSettings withMaxMetadataSize(int bytes) {
    checkRange("maxMetadataSize", bytes, 1, maxFrameSize);
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow,
        maxConcurrentStreams, bytes, maxMessageSize, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments, attachmentLimits);
  }

  public ProtocolSettings withMaxMessageSize(int bytes) {
    checkRange("maxMessageSize", bytes, 0, Integer.MAX_VALUE);
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow,
        maxConcurrentStreams, maxMetadataSize, bytes, handshakeTimeoutNanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments, attachmentLimits);
  }

  public ProtocolSettings withHandshakeTimeout(long timeout, TimeUnit unit) {
    long nanos = unit.toNanos(timeout);
    if (nanos <= 0) {
      throw new IllegalArgumentException("handshake timeout must be positive: " + timeout + " " + unit);
    }
    return new ProtocolSettings(maxFrameSize, streamWindow, connectionWindow,
        maxConcurrentStreams, maxMetadataSize, maxMessageSize, nanos, keepAlive,
        maxResets, resetWindowNanos, lifetime, attachments, attachmentLimits);
  }

  /** This side's HELLO payload. */
  Hello toHello() {
    return Hello.newBuilder()
        .setMaxFrameSize(maxFrameSize)
        .setInitialStreamWindow(streamWindow)
        .setInitialConnectionWindow(connectionWindow)
        .setMaxConcurrentStreams(maxConcurrentStreams)
        .setMaxMetadataSize(maxMetadataSize)
        .setAgent(AGENT)
        .setAttachments(attachments != null)
        .build();
  }

  private static void checkRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
