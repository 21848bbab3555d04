package dev.plumb.rpc.internal;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.SecurityLevel;
import io.grpc.internal.GrpcAttributes;

/**
 * The {@link SecurityLevel} calls see ({@code ServerCall.getSecurityLevel()}, and what gRPC's
 * {@code CallCredentials} are told): {@link SecurityLevel#PRIVACY_AND_INTEGRITY} on a link whose
 * transport reports a TLS session, {@link SecurityLevel#NONE} otherwise, on either side.
 */
final class LinkSecurityLevel {
  private LinkSecurityLevel() {}

  /** {@code link}'s attributes with the security level added. */
  static Attributes add(Attributes link) {
    SecurityLevel level = link.get(Grpc.TRANSPORT_ATTR_SSL_SESSION) != null
        ? SecurityLevel.PRIVACY_AND_INTEGRITY : SecurityLevel.NONE;
    return link.toBuilder().set(GrpcAttributes.ATTR_SECURITY_LEVEL, level).build();
  }
}
