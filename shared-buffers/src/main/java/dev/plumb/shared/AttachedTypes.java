package dev.plumb.shared;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;

/**
 * Which methods' messages can name shared buffers, from their marshallers' prototypes: calls
 * of the others go past the interceptors untouched.
 */
final class AttachedTypes {
  private AttachedTypes() {}

  /**
   * Whether a request or response of {@code method} can hold a {@code SharedBytes}; true when
   * a marshaller does not tell its message type.
   */
  static boolean mayAttach(MethodDescriptor<?, ?> method) {
    return mayHold(method.getRequestMarshaller()) || mayHold(method.getResponseMarshaller());
  }

  private static boolean mayHold(MethodDescriptor.Marshaller<?> marshaller) {
    if (!(marshaller instanceof MethodDescriptor.PrototypeMarshaller)) {
      return true;
    }
    Object prototype = ((MethodDescriptor.PrototypeMarshaller<?>) marshaller).getMessagePrototype();
    return !(prototype instanceof Message)
        || SharedBytesFields.reaches(((Message) prototype).getDescriptorForType());
  }
}
