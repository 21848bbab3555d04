package dev.plumb.shared;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.plumb.shared.proto.SharedBytes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the {@link SharedBytes} in a message by protobuf reflection: in its fields, in the
 * fields of the messages it holds, in repeated and map fields, at any depth, in field order.
 * What the interceptors use to learn which buffers travel with a message.
 *
 * <p>Whether a message type can hold a {@code SharedBytes} at all is worked out once per
 * {@link Descriptor} and cached, so a message of a type that cannot costs one map look-up.
 * Extensions and unknown fields are not searched.
 */
final class SharedBytesFields {
  private static final String FULL_NAME = SharedBytes.getDescriptor().getFullName();
  /** Per message type: whether a {@code SharedBytes} is reachable through its fields. */
  private static final ConcurrentHashMap<Descriptor, Boolean> REACHES =
      new ConcurrentHashMap<>();

  private SharedBytesFields() {}

  /** The {@code SharedBytes} that {@code message} holds, in field order; often empty. */
  static List<SharedBytes> in(Message message) {
    if (!reaches(message.getDescriptorForType())) {
      return List.of();
    }
    List<SharedBytes> found = new ArrayList<>();
    collect(message, found);
    return found;
  }

  /** Whether a message of type {@code type} can hold a {@code SharedBytes}. */
  static boolean reaches(Descriptor type) {
    Boolean reaches = REACHES.get(type);
    if (reaches == null) {
      reaches = search(type);
      REACHES.put(type, reaches);
    }
    return reaches;
  }

  /**
   * A walk over every message type reachable from {@code root} (cycles included: a type that
   * holds itself is visited once). Per root, not per type on the way: a type met inside a cycle
   * has not been fully explored when the walk meets it again.
   */
  private static boolean search(Descriptor root) {
    Set<Descriptor> seen = new HashSet<>();
    ArrayDeque<Descriptor> pending = new ArrayDeque<>();
    pending.add(root);
    seen.add(root);
    while (!pending.isEmpty()) {
      Descriptor type = pending.poll();
      if (type.getFullName().equals(FULL_NAME)) {
        return true;
      }
      for (FieldDescriptor field : type.getFields()) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && seen.add(field.getMessageType())) {
          pending.add(field.getMessageType());
        }
      }
    }
    return false;
  }

  private static void collect(Message message, List<SharedBytes> found) {
    if (message.getDescriptorForType().getFullName().equals(FULL_NAME)) {
      found.add(asSharedBytes(message));
      return;
    }
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE
          || !reaches(field.getMessageType())) {
        continue;
      }
      if (field.isRepeated()) {
        // A map field reads as its entries: messages with a key and a value field.
        int count = message.getRepeatedFieldCount(field);
        for (int i = 0; i < count; i++) {
          collect((Message) message.getRepeatedField(field, i), found);
        }
      } else if (message.hasField(field)) {
        collect((Message) message.getField(field), found);
      }
    }
  }

  /** The message as the generated class; a dynamic message of the type is converted. */
  private static SharedBytes asSharedBytes(Message message) {
    if (message instanceof SharedBytes) {
      return (SharedBytes) message;
    }
    try {
      return SharedBytes.parseFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("a plumb.SharedBytes that does not parse as one", e);
    }
  }
}
