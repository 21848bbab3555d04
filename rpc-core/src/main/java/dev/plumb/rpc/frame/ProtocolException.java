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

  public ProtocolException(Status status) {
    super(status.getDescription(), null, false, false);
    this.status = status;
  }

  /** A malformed frame: {@code INTERNAL}, as gRPC reports framing errors. */
  public static ProtocolException malformed(String description) {
    return new ProtocolException(Status.INTERNAL.withDescription(description));
  }

  public Status status() {
    return status;
  }
}
