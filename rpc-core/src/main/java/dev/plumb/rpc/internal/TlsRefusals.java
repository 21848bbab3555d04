package dev.plumb.rpc.internal;

import java.util.List;
import java.util.Set;

/**
 * Why credentials cannot secure a Plumb channel or listen address: the messages of the
 * {@link IllegalArgumentException}s that {@link ChannelSecurity} and {@link ListenSecurity}
 * throw, worded alike for both sides.
 */
final class TlsRefusals {
  private TlsRefusals() {}

  /** The scheme's transport cannot run TLS; Plumb does not fall back to plaintext. */
  static IllegalArgumentException noTls(String scheme, String plaintextCredentials) {
    return new IllegalArgumentException("the " + scheme + ": transport cannot run TLS, and"
        + " Plumb never carries calls in plaintext when TLS was asked for; use "
        + plaintextCredentials + " for " + scheme + ": addresses (docs/TRANSPORTS.md says how"
        + " each transport is secured), or a tcp: address for TLS");
  }

  /** TLS credentials that ask for features the transport does not implement. */
  static IllegalArgumentException incomprehensible(String credentialsType, String scheme,
      Set<?> features) {
    return new IllegalArgumentException(credentialsType + " use features that Plumb's "
        + scheme + ": transport does not implement: " + features);
  }

  /** Credentials of a kind Plumb does not take at all. */
  static IllegalArgumentException unsupported(Object credentials, String accepted) {
    return new IllegalArgumentException("Plumb takes " + accepted + ", not "
        + credentials.getClass().getSimpleName());
  }

  /** Every choice of a Choice...Credentials was refused: each reason, in order. */
  static IllegalArgumentException noChoice(List<String> reasons) {
    return new IllegalArgumentException("none of the credentials to choose from can be used: "
        + String.join("; ", reasons));
  }
}
