package dev.plumb.rpc.internal;

import dev.plumb.proto.wire.GoAway;
import io.grpc.Status;

/**
 * The status a connection ends with when the peer refused it before its handshake (a GO_AWAY
 * in place of HELLO), which a client's connection attempt, and so its calls, fail with.
 *
 * <p>A refusal for who the client is (PERMISSION_DENIED, UNAUTHENTICATED) keeps its code: trying
 * again will not help, and the caller should know. Any other refusal is a server that cannot
 * take the connection now (RESOURCE_EXHAUSTED: at its connection limit), which is what gRPC
 * calls UNAVAILABLE for a transport that fails to connect: retry policies and load balancers
 * treat it as such. The server's code then leads the description and is the status of the
 * cause, so that it is not lost.
 */
final class RefusalStatus {
  private static final String REFUSED = "the connection was refused: ";

  private RefusalStatus() {}

  static Status of(GoAway goAway) {
    Status sent = Status.fromCodeValue(goAway.getStatusCode()).withDescription(goAway.getMessage());
    switch (sent.getCode()) {
      case PERMISSION_DENIED:
      case UNAUTHENTICATED:
        return sent.withDescription(REFUSED + goAway.getMessage());
      case OK:
      case UNAVAILABLE:
        return Status.UNAVAILABLE.withDescription(REFUSED + goAway.getMessage());
      default:
        return Status.UNAVAILABLE
            .withDescription(REFUSED + sent.getCode() + ": " + goAway.getMessage())
            .withCause(sent.asException());
    }
  }
}
