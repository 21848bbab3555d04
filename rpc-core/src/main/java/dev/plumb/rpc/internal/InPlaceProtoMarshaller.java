package dev.plumb.rpc.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.HasByteBuffer;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * gRPC's protobuf marshaller with one copy less on the way in. gRPC's copies every received
 * message into a buffer of its own and parses from there, copying each {@code bytes} field once
 * more. This one parses from the buffers the transport received:
 * <ul>
 *   <li>a message that lies in one received array (the payload of one frame) is parsed there;
 *       {@code bytes} fields are copied out of it, since the array goes back to the payload
 *       pool, and another frame's bytes into it, once gRPC closes the message's stream;
 *   <li>a message spread over several frames is copied once into an array of its own, which
 *       its {@code bytes} fields then share (protobuf's aliasing): that array is never written
 *       again, so they never change. Such fields keep the whole message's array reachable.
 * </ul>
 * Sending, and parsing anything else than a deframed message (a compressed one, say), are left
 * to gRPC's marshaller, as are its recursion limit and extension registry, which this one
 * honours. Parse errors are gRPC's: INTERNAL, "Invalid protobuf byte sequence".
 */
final class InPlaceProtoMarshaller<T extends MessageLite>
    implements MethodDescriptor.PrototypeMarshaller<T> {
  private final MethodDescriptor.PrototypeMarshaller<T> grpc;
  private final Parser<T> parser;
  private final int recursionLimit;

  /** For a marshaller that {@link GrpcProtoLite#isGrpcMarshaller} accepts. */
  @SuppressWarnings("unchecked")
  InPlaceProtoMarshaller(MethodDescriptor.Marshaller<T> grpc) {
    this.grpc = (MethodDescriptor.PrototypeMarshaller<T>) grpc;
    this.parser = (Parser<T>) this.grpc.getMessagePrototype().getParserForType();
    this.recursionLimit = GrpcProtoLite.recursionLimit(grpc);
  }

  @Override
  public Class<T> getMessageClass() {
    return grpc.getMessageClass();
  }

  @Override
  public T getMessagePrototype() {
    return grpc.getMessagePrototype();
  }

  @Override
  public InputStream stream(T value) {
    return grpc.stream(value);
  }

  @Override
  public T parse(InputStream stream) {
    if (!(stream instanceof KnownLength) || !(stream instanceof HasByteBuffer)) {
      return grpc.parse(stream);
    }
    try {
      int size = stream.available();
      if (size == 0) {
        return grpc.parse(stream);
      }
      HasByteBuffer buffers = (HasByteBuffer) stream;
      ByteBuffer first = buffers.byteBufferSupported() ? buffers.getByteBuffer() : null;
      if (first != null && first.hasArray() && first.remaining() >= size) {
        // No aliasing: the array is the pool's again once gRPC closes the stream.
        T message = parse(CodedInputStream.newInstance(first.array(),
            first.arrayOffset() + first.position(), size));
        stream.skip(size);
        return message;
      }
      byte[] whole = new byte[size];
      readFully(stream, whole);
      // The array is the message's alone and never written again: bytes fields may share it.
      CodedInputStream input = UnsafeByteOperations.unsafeWrap(whole).newCodedInput();
      input.enableAliasing(true);
      return parse(input);
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence").withCause(e)
          .asRuntimeException();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private T parse(CodedInputStream input) throws InvalidProtocolBufferException {
    input.setSizeLimit(Integer.MAX_VALUE);  // gRPC's limit on messages applies before this.
    if (recursionLimit >= 0) {
      input.setRecursionLimit(recursionLimit);
    }
    T message = parser.parseFrom(input, GrpcProtoLite.extensionRegistry());
    try {
      input.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      e.setUnfinishedMessage(message);
      throw e;
    }
  }

  private static void readFully(InputStream stream, byte[] into) throws IOException {
    int position = 0;
    while (position < into.length) {
      int n = stream.read(into, position, into.length - position);
      if (n < 0) {
        throw new IOException("message shorter than announced: " + position + " of "
            + into.length + " bytes");
      }
      position += n;
    }
  }
}
