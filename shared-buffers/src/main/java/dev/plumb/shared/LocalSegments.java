package dev.plumb.shared;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sealed segments this process holds, by token: those its {@link SharedBuffer}s sealed and
 * have not closed. {@link SharedBuffers#open} looks tokens up here.
 */
final class LocalSegments {
  /** Bytes of a token: 128 random bits, so that tokens never collide in practice. */
  static final int TOKEN_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ConcurrentHashMap<ByteString, Segment> SEALED = new ConcurrentHashMap<>();

  private LocalSegments() {}

  /** Registers {@code segment} under a new random token, which it returns. */
  static ByteString register(Segment segment) {
    byte[] bytes = new byte[TOKEN_LENGTH];
    RANDOM.nextBytes(bytes);
    ByteString token = ByteString.copyFrom(bytes);
    SEALED.put(token, segment);
    return token;
  }

  static void unregister(ByteString token) {
    SEALED.remove(token);
  }

  /** The segment under {@code token}, or null. */
  static Segment find(ByteString token) {
    return SEALED.get(token);
  }
}
