package dev.plumb.rpc.frame;

import io.grpc.Status;

/**
 * The peer broke the wire protocol: bad preface, malformed or oversized frame, a frame where
 * none may be. Carries the {@link Status} that ends the connection (or stream); its
 * description is what both logs and the peer see, so it names the offending value.
 */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  /** Whether the peer opened as a gRPC client over HTTP/2 ({@link Http2Peer}). */
  private final boolean http2Client;

  public ProtocolException(Status status) {
    this(status, false);
  }

  private ProtocolException(Status status, boolean http2Client) {
    super(status.getDescription(), null, false, false);
    this.status = status;
    this.http2Client = http2Client;
  }

  /**
   * The peer opened with HTTP/2's client preface: a gRPC client over HTTP/2. A server that has
   * not spoken yet answers it in HTTP/2 (see {@link Http2Peer}).
   */
  static ProtocolException fromHttp2Client(Status status) {
    return new ProtocolException(status, true);
  }

  /** A malformed frame: {@code INTERNAL}, as gRPC reports framing errors. */
  public static ProtocolException malformed(String description) {
    return new ProtocolException(Status.INTERNAL.withDescription(description));
  }

  public Status status() {
    return status;
  }

  /** Whether the peer is a gRPC client over HTTP/2, see {@link #fromHttp2Client}. */
  public boolean isFromHttp2Client() {
    return http2Client;
  }
}
